namespace EdgeCancer.Inference.Synthesis;

/// <summary>What a synthesis run produces. Everything generated is a pure function of these options.</summary>
public sealed record CtPhantomOptions
{
    /// <summary>Number of patients (one study with one axial series each).</summary>
    public int Patients { get; init; } = 1;

    /// <summary>Images per series.</summary>
    public int Slices { get; init; } = 64;

    /// <summary>Region per patient.</summary>
    public BodyRegionChoice Body { get; init; } = BodyRegionChoice.Chest;

    /// <summary>Seed: the same seed and options give byte-identical files.</summary>
    public long Seed { get; init; } = 1;

    /// <summary>Slice thickness (mm), also the spacing between contiguous slices. Null: the region's length divided by
    /// <see cref="Slices"/>, limited to 0.5–10 mm, so a short series still spans the anatomy.</summary>
    public double? SliceThickness { get; init; }

    /// <summary>Noise multiplier: 0 gives noiseless images, 1 a typical 120 kV scan.</summary>
    public double Noise { get; init; } = 1.0;

    /// <summary>When true each patient gets a dose factor (0.5–2) that scales noise by 1/√dose and is written as Exposure and CTDIvol.</summary>
    public bool DoseVariation { get; init; } = true;

    /// <summary>Lesion assignment.</summary>
    public LesionMode Lesions { get; init; } = LesionMode.Auto;

    /// <summary>Smallest and largest lesion diameter in mm.</summary>
    public double MinLesionDiameter { get; init; } = 3;

    /// <inheritdoc cref="MinLesionDiameter"/>
    public double MaxLesionDiameter { get; init; } = 40;

    /// <summary>Rescale Intercept (0028,1052). Stored value = HU − intercept; 0 (stored = HU) or −1024 are the common choices.</summary>
    public double RescaleIntercept { get; init; }

    /// <summary>Rows and columns of each image.</summary>
    public int Matrix { get; init; } = 512;

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the option when something is out of range.</summary>
    public void Validate()
    {
        if (Patients < 1) throw new ArgumentException($"patients must be at least 1 (was {Patients}).");
        if (Slices < 1 || Slices > 5000) throw new ArgumentException($"slices must be 1–5000 (was {Slices}).");
        if (SliceThickness is { } t && (t <= 0 || t > 20)) throw new ArgumentException($"slice thickness must be in (0, 20] mm (was {t}).");
        if (Noise < 0 || Noise > 20) throw new ArgumentException($"noise must be 0–20 (was {Noise}).");
        if (MinLesionDiameter < 1 || MaxLesionDiameter < MinLesionDiameter || MaxLesionDiameter > 80)
            throw new ArgumentException($"lesion diameters must satisfy 1 ≤ min ≤ max ≤ 80 mm (were {MinLesionDiameter}, {MaxLesionDiameter}).");
        if (RescaleIntercept is < -2048 or > 0) throw new ArgumentException($"rescale intercept must be −2048–0 (was {RescaleIntercept}).");
        if (Matrix is < 64 or > 1024) throw new ArgumentException($"matrix must be 64–1024 (was {Matrix}).");
    }
}
