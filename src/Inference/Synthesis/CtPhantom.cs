namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// One synthetic patient: an analytic anatomical phantom in Hounsfield units (air −1000, fat ≈ −100, soft tissue
/// ≈ 40, lung ≈ −850, bone 700–1250), its lesions, dose and noise, and the geometry of its axial series. Everything is
/// a pure function of the options and the patient index; slices may be rendered in any order and in parallel.
/// </summary>
public sealed class CtPhantom
{
    /// <summary>Lowest and highest CT number written (a 12-bit scanner range: −1024 … 3071).</summary>
    public const float MinHu = -1024, MaxHu = 3071;

    private readonly Anatomy _anatomy;

    /// <summary>Builds patient <paramref name="patientIndex"/> (0-based) of a run.</summary>
    public CtPhantom(CtPhantomOptions options, int patientIndex)
    {
        options.Validate();
        Options = options;
        PatientIndex = patientIndex;
        Region = options.Body switch
        {
            BodyRegionChoice.Chest => BodyRegion.Chest,
            BodyRegionChoice.Head => BodyRegion.Head,
            BodyRegionChoice.Abdomen => BodyRegion.Abdomen,
            _ => (BodyRegion)(int)((patientIndex + ((options.Seed % 3) + 3) % 3) % 3),
        };
        var anatomyRng = new PhantomRandom(options.Seed, patientIndex, 1);
        _anatomy = Region switch
        {
            BodyRegion.Chest => new ChestAnatomy(anatomyRng),
            BodyRegion.Head => new HeadAnatomy(anatomyRng),
            _ => new AbdomenAnatomy(anatomyRng),
        };
        Lesions = LesionGenerator.Generate(_anatomy, options, new PhantomRandom(options.Seed, patientIndex, 2));

        var rng = new PhantomRandom(options.Seed, patientIndex, 3);
        DoseFactor = options.DoseVariation ? Math.Round(Math.Exp(rng.Range(Math.Log(0.5), Math.Log(2.0))), 3) : 1.0;

        int n = options.Matrix;
        double spacing = options.SliceThickness ?? Math.Clamp(Math.Round(_anatomy.Length / options.Slices * 8) / 8, 0.5, 10);
        double pixel = _anatomy.FieldOfView / n;
        double origin = -(n - 1) / 2.0 * pixel;
        double mid = _anatomy.TopZ - _anatomy.Length / 2;
        double firstZ = Math.Round((mid + (options.Slices - 1) / 2.0 * spacing) * 16) / 16;
        Geometry = new SeriesGeometry(n, n, pixel, origin, origin, firstZ, spacing, spacing, options.Slices);
        NoiseSigma = options.Noise * _anatomy.ReferenceNoise / Math.Sqrt(DoseFactor * Math.Max(spacing, 0.5));
    }

    /// <summary>The options of the run.</summary>
    public CtPhantomOptions Options { get; }

    /// <summary>0-based patient index within the run.</summary>
    public int PatientIndex { get; }

    /// <summary>The region this patient's series covers.</summary>
    public BodyRegion Region { get; }

    /// <summary>Slice positions and pixel grid.</summary>
    public SeriesGeometry Geometry { get; }

    /// <summary>Relative dose (1 = reference 200 mAs at 120 kV).</summary>
    public double DoseFactor { get; }

    /// <summary>Standard deviation (HU) of the Gaussian noise added to every pixel.</summary>
    public double NoiseSigma { get; }

    /// <summary>The lesions; empty for a healthy control.</summary>
    public IReadOnlyList<Lesion> Lesions { get; }

    /// <summary>True when at least one lesion is malignant-looking.</summary>
    public bool IsMalignant => Lesions.Any(l => l.MalignantLooking);

    /// <summary>The ellipses of the section at <paramref name="z"/>, in paint order, lesions last.</summary>
    public IReadOnlyList<EllipseShape> ShapesAt(double z)
    {
        var shapes = new List<EllipseShape>(160);
        _anatomy.AddShapes(z, shapes);
        foreach (var lesion in Lesions)
            foreach (var part in lesion.Parts)
                if (part.SectionAt(z) is { } section) shapes.Add(section);
        return shapes;
    }

    /// <summary>The noiseless CT number at a point (air when no shape covers it).</summary>
    public float HuAt(double x, double y, double z)
    {
        float hu = -1000;
        foreach (var s in ShapesAt(z))
            if (s.Contains(x, y)) hu = s.ValueAt(y);
        return Math.Clamp(hu, MinHu, MaxHu);
    }

    /// <summary>Lesions whose main body is cut by the plane at <paramref name="z"/> with a section of at least 1 mm.</summary>
    public IReadOnlyList<Lesion> LesionsAt(double z) => Lesions.Where(l => l.SectionDiameterAt(z) >= 1.0).ToList();

    /// <summary>Renders slice <paramref name="index"/> in HU (row-major, Rows × Columns), noise included.</summary>
    public void RenderSlice(int index, Span<float> hu)
    {
        var g = Geometry;
        if (hu.Length != g.Rows * g.Columns) throw new ArgumentException($"The buffer must hold {g.Rows * g.Columns} values.", nameof(hu));
        hu.Fill(-1000);
        var shapes = ShapesAt(g.Z(index));
        for (int r = 0; r < g.Rows; r++)
        {
            double y = g.Y(r);
            var row = hu.Slice(r * g.Columns, g.Columns);
            foreach (var shape in shapes)
            {
                if (!shape.TrySpan(y, out double x0, out double x1)) continue;
                int c0 = Math.Max(0, (int)Math.Ceiling((x0 - g.OriginX) / g.PixelSpacing));
                int c1 = Math.Min(g.Columns - 1, (int)Math.Floor((x1 - g.OriginX) / g.PixelSpacing));
                if (c0 <= c1) row[c0..(c1 + 1)].Fill(shape.ValueAt(y));
            }
        }
        if (NoiseSigma > 0) new PhantomRandom(Options.Seed, PatientIndex, 4, index).AddGaussianNoise(hu, (float)NoiseSigma);
    }

    /// <summary>Renders slice <paramref name="index"/> as stored values: round(HU − intercept), HU clamped to −1024…3071.</summary>
    public void RenderStoredSlice(int index, Span<short> stored, Span<float> scratch)
    {
        RenderSlice(index, scratch);
        float intercept = (float)Options.RescaleIntercept;
        for (int i = 0; i < stored.Length; i++)
            stored[i] = (short)MathF.Round(Math.Clamp(scratch[i], MinHu, MaxHu) - intercept);
    }
}
