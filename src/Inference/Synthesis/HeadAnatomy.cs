namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Head from the vertex (u = 0) to the skull base and maxilla (u = 1): scalp, skull (outer table, diploë, inner
/// table ≈ 1000 HU), CSF, grey (≈ 38 HU) and white (≈ 28 HU) matter, falx, lateral, third and fourth ventricles
/// (≈ 5 HU), orbits with globes and lenses, paranasal sinuses, petrous bones and the upper cervical spine.
/// </summary>
internal sealed class HeadAnatomy : Anatomy
{
    private readonly double _sx, _sy, _ventricleScale, _skull;

    public HeadAnatomy(PhantomRandom rng)
    {
        _sx = rng.Range(0.92, 1.06);
        _sy = rng.Range(0.92, 1.06);
        _ventricleScale = rng.Range(0.8, 1.35); // ventricles widen with age
        _skull = rng.Range(5.5, 8);
    }

    public override BodyRegion Region => BodyRegion.Head;
    public override double Length => 200;
    public override double TopZ => 230;
    public override double FieldOfView => 256; // 0.5 mm pixels at 512
    public override double ReferenceNoise => 6;
    public override (double From, double To) LesionRange => (0, 0);

    public override IEnumerable<(string Organ, EllipseShape Section)> LesionHosts(double z) => [];

    private EllipseShape Outline(double u)
    {
        double k = u < 0.5 ? Math.Sqrt(Math.Max(0, 1 - Math.Pow((0.5 - u) / 0.52, 2))) : 1 - 0.18 * Profiles.Smooth(u, 0.72, 1.0);
        return new EllipseShape(0, 0, 74 * _sx * k, 93 * _sy * k, 0, 40);
    }

    public override void AddShapes(double z, List<EllipseShape> s)
    {
        double u = U(z);
        var head = Outline(u);
        if (head.A < 3) return;
        s.Add(head);                                // skin
        s.Add(head.Inset(2, -80));                  // subcutaneous fat
        s.Add(head.Inset(4.5, 1100));               // outer table
        s.Add(head.Inset(4.5 + _skull * 0.35, 620)); // diploë
        s.Add(head.Inset(4.5 + _skull * 0.7, 1100)); // inner table
        var csf = head.Inset(4.5 + _skull, 8);
        s.Add(csf);
        if (u < 0.8)
        {
            var brain = csf.Inset(1.5, 38);
            s.Add(brain);                           // cortex (grey matter)
            double w = Profiles.Cap(u, 0.08, 0.42, 0.66);
            if (w > 0) s.Add(new EllipseShape(0, 2, brain.A * 0.72 * w, brain.B * 0.75 * w, 0, 28)); // white matter
            if (u < 0.58) s.Add(new EllipseShape(0, 0, 0.8, brain.B * 0.92, 0, 55)); // falx
            double v = Profiles.Cap(u, 0.3, 0.46, 0.6) * _ventricleScale;
            if (v > 0)
            {
                s.Add(new EllipseShape(-9 * _ventricleScale, -6, 5.5 * v, 25 * v, 0.16, 5));
                s.Add(new EllipseShape(9 * _ventricleScale, -6, 5.5 * v, 25 * v, -0.16, 5));
            }
            if (u is > 0.5 and < 0.63) s.Add(new EllipseShape(0, 6, 2.4, 10, 0, 5)); // third ventricle
            if (u is > 0.62 and < 0.76) s.Add(new EllipseShape(0, 0.42 * brain.B, 6, 4, 0, 5)); // fourth ventricle
        }
        else
        {
            s.Add(csf.Inset(1.5, 40)); // soft tissues of the face and neck
        }

        if (u is > 0.6 and < 0.8)   // orbits
        {
            double o = Profiles.Cap(u, 0.6, 0.7, 0.8);
            foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            {
                double ox = side * 31 * _sx, oy = -0.8 * head.B;
                s.Add(EllipseShape.Circle(ox, oy, 17 * o, -85));            // orbital fat
                s.Add(EllipseShape.Circle(ox, oy - 2, 12 * o, 12));          // globe (vitreous)
                s.Add(new EllipseShape(ox, oy - 12 * o + 1.5, 4 * o, 1.5 * o, 0, 110)); // lens
            }
        }
        if (u is > 0.62 and < 0.82) // ethmoid and sphenoid sinuses
        {
            var wall = new EllipseShape(0, -0.5 * head.B, 11, 16, 0, 700);
            s.Add(wall);
            s.Add(wall.Inset(1.5, -1000));
        }
        if (u is > 0.68 and < 0.84) // petrous bones
        {
            s.Add(new EllipseShape(-34 * _sx, 0.22 * head.B, 26, 8, -0.6, 1250));
            s.Add(new EllipseShape(34 * _sx, 0.22 * head.B, 26, 8, 0.6, 1250));
        }
        if (u > 0.8)
        {
            foreach (int side in (ReadOnlySpan<int>)[-1, 1]) // maxillary sinuses
            {
                var wall = new EllipseShape(side * 24, -0.55 * head.B, 16, 19, 0, 650);
                s.Add(wall);
                s.Add(wall.Inset(1.8, -1000));
            }
            s.Add(new EllipseShape(0, -0.75 * head.B, 6, 14, 0, -1000)); // nasal cavity
            var dens = EllipseShape.Circle(0, 0.25 * head.B, 12, 1000);    // C1/C2
            s.Add(dens);
            s.Add(dens.Inset(2.5, 330));
            s.Add(EllipseShape.Circle(0, 0.25 * head.B + 20, 9, 25));       // cord in the canal
        }
    }
}
