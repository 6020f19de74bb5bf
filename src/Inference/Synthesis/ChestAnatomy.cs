namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Chest from the lung apices (u = 0) to the upper abdomen (u = 1): fat and muscle of the chest wall, ribs, sternum,
/// scapulae, two lungs (≈ −850 HU, denser posteriorly) with branching vessels, mediastinum, heart, aorta, trachea and
/// main bronchi, oesophagus, thoracic spine; liver, spleen and stomach gas appear under the diaphragm.
/// </summary>
internal sealed class ChestAnatomy : Anatomy
{
    private readonly double _sx, _sy, _fat, _lungHu, _ribPhase, _discPhase, _rightLungEnd, _leftLungEnd, _heartShift;
    private readonly List<Vessel> _vessels = [];

    public ChestAnatomy(PhantomRandom rng)
    {
        _sx = rng.Range(0.9, 1.06);
        _sy = rng.Range(0.9, 1.06);
        _fat = rng.Range(6, 22);
        _lungHu = (float)rng.Range(-875, -830);
        _ribPhase = rng.NextDouble();
        _discPhase = rng.NextDouble();
        _rightLungEnd = rng.Range(0.82, 0.87);
        _leftLungEnd = _rightLungEnd + rng.Range(0.02, 0.05);
        _heartShift = rng.Range(-6, 6);
        foreach (int side in (ReadOnlySpan<int>)[-1, 1]) GrowVessels(rng, side);
    }

    public override BodyRegion Region => BodyRegion.Chest;
    public override double Length => 320;
    public override double TopZ => 0;
    public override double FieldOfView => 358.4; // 0.7 mm pixels at 512
    public override double ReferenceNoise => 14;
    public override (double From, double To) LesionRange => (0.15, 0.78);

    private EllipseShape Body(double u) =>
        new(0, 0, 148 * _sx * (0.84 + 0.16 * Profiles.Smooth(u, 0, 0.35)), 104 * _sy * (0.86 + 0.14 * Profiles.Smooth(u, 0, 0.35)), 0, -100);

    private EllipseShape Cavity(double u)
    {
        var body = Body(u);
        return new EllipseShape(0, 4, body.A - _fat - 16, body.B - _fat - 14, 0, 40);
    }

    /// <summary>Right (side −1) or left (side +1) lung section, or null outside the lung.</summary>
    private EllipseShape? Lung(double u, int side)
    {
        var cav = Cavity(u);
        double p = Profiles.Cap(u, 0.01, 0.6, side < 0 ? _rightLungEnd : _leftLungEnd);
        if (p <= 0) return null;
        double a = 0.43 * cav.A * p, b = 0.86 * cav.B * Math.Sqrt(p);
        return new EllipseShape(side * 0.47 * cav.A, cav.Cy - 2, a, b, side * 0.08, (float)_lungHu) { GradientY = 0.35f };
    }

    public override IEnumerable<(string Organ, EllipseShape Section)> LesionHosts(double z)
    {
        double u = U(z);
        if (Lung(u, -1) is { } r) yield return ("right-lung", r);
        if (Lung(u, 1) is { } l) yield return ("left-lung", l);
    }

    public override void AddShapes(double z, List<EllipseShape> s)
    {
        double u = U(z);
        var body = Body(u);
        s.Add(body);                                 // subcutaneous fat
        s.Add(body.Inset(_fat, 48));                 // chest wall muscle
        var cav = Cavity(u);
        AnatomyParts.Ribs(s, z, cav, _ribPhase);
        if (u < 0.45)                                // scapulae, posterior to the ribs
        {
            double k = Profiles.Cap(u, 0.0, 0.2, 0.45);
            var inside = body.Inset(_fat + 2, 0); // keep the blades under the skin and fat
            s.Add(new EllipseShape(-0.55 * body.A, 0.6 * body.B, 30 * k, 4.5, -0.5, 800) { Clip = inside });
            s.Add(new EllipseShape(0.55 * body.A, 0.6 * body.B, 30 * k, 4.5, 0.5, 800) { Clip = inside });
        }
        if (u is > 0.18 and < 0.8)                   // sternum
        {
            var st = new EllipseShape(0, -cav.B + cav.Cy - 3, 14, 6, 0, 750);
            s.Add(st);
            s.Add(st.Inset(2, 260));
        }
        s.Add(cav);                                  // mediastinal/pleural soft tissue

        // Upper abdominal organs under the diaphragm, uncovered as the lung bases end.
        if (u > 0.72)
        {
            double g = Profiles.Smooth(u, 0.72, 0.95);
            s.Add(new EllipseShape(-0.3 * cav.A, 0.05 * cav.B, 0.62 * cav.A * g, 0.78 * cav.B * g, 0.2, 58)); // liver
            s.Add(new EllipseShape(0.55 * cav.A, 0.45 * cav.B, 0.22 * cav.A * g, 0.38 * cav.B * g, -0.4, 48)); // spleen
            var stomach = new EllipseShape(0.32 * cav.A, -0.15 * cav.B, 0.3 * cav.A * g, 0.3 * cav.B * g, 0, 15);
            s.Add(stomach);
            s.Add(new EllipseShape(stomach.Cx, stomach.Cy - stomach.B * 0.6, stomach.A, stomach.B * 0.6, 0, -1000) { Clip = stomach });
        }

        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            if (Lung(u, side) is { } lung) s.Add(lung);

        // Vessels, clipped to their lung.
        foreach (var v in _vessels)
        {
            if (Lung(u, v.Side) is not { } lung) continue;
            if (v.SectionAt(z) is { } section) s.Add(section with { Clip = lung });
        }

        // Mediastinum between the lungs, then heart, great vessels, airways, oesophagus.
        double m = Profiles.Cap(u, -0.2, 0.55, 1.2);
        s.Add(new EllipseShape(0.02 * cav.A, -0.12 * cav.B, 0.17 * cav.A * m, 0.62 * cav.B, 0, 35));
        double h = Profiles.Cap(u, 0.42, 0.66, 0.9);
        if (h > 0)
        {
            var heart = new EllipseShape(0.14 * cav.A + _heartShift, -0.12 * cav.B, 0.4 * cav.A * h, 0.5 * cav.B * h, -0.55, 40);
            s.Add(heart with { A = heart.A + 3, B = heart.B + 3, Hu = -90 }); // pericardial fat
            s.Add(heart);
        }
        if (u is > 0.26 and < 0.33) s.Add(new EllipseShape(0.05 * cav.A, 0.1 * cav.B, 0.2 * cav.A, 13, 0.35, 42)); // aortic arch
        if (u is >= 0.32 and < 0.62) s.Add(EllipseShape.Circle(0.02 * cav.A, -0.3 * cav.B, 15, 42));              // ascending aorta
        if (u >= 0.3) s.Add(EllipseShape.Circle(0.16 * cav.A, 0.52 * cav.B, 12, 42));                               // descending aorta
        if (u < 0.34)
        {
            s.Add(EllipseShape.Circle(0, -0.05 * cav.B, 10, 45));  // tracheal wall
            s.Add(EllipseShape.Circle(0, -0.05 * cav.B, 8, -1000));
        }
        else if (u < 0.46)
        {
            foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            {
                s.Add(EllipseShape.Circle(side * 17, 0.02 * cav.B, 7, 45));
                s.Add(EllipseShape.Circle(side * 17, 0.02 * cav.B, 5.2, -1000));
            }
        }
        s.Add(EllipseShape.Circle(-0.04 * cav.A, 0.4 * cav.B, 6.5, 38));  // oesophagus
        s.Add(EllipseShape.Circle(-0.04 * cav.A, 0.4 * cav.B, 1.5, -1000));
        AnatomyParts.Vertebra(s, z, 0.62 * cav.B + cav.Cy, 16, 27, _discPhase);
    }

    /// <summary>Pulmonary vessel trees: segments from the hilum to random points of the lung, each with a few branches.</summary>
    private void GrowVessels(PhantomRandom rng, int side)
    {
        double hz = Z(0.5);
        for (int i = 0; i < 34; i++)
        {
            var (ex, ey, ez) = RandomLungPoint(rng, side);
            var trunk = new Vessel(side, side * 0.16 * 125, 0, hz, ex, ey, ez, rng.Range(3.5, 5.5), rng.Range(0.6, 1.2));
            _vessels.Add(trunk);
            int branches = rng.Next(2, 5);
            for (int b = 0; b < branches; b++)
            {
                double t = rng.Range(0.3, 0.75);
                var (bx, by, bz) = RandomLungPoint(rng, side);
                _vessels.Add(new Vessel(side, trunk.X0 + t * (trunk.X1 - trunk.X0), trunk.Y0 + t * (trunk.Y1 - trunk.Y0), trunk.Z0 + t * (trunk.Z1 - trunk.Z0),
                    bx, by, bz, trunk.R0 + t * (trunk.R1 - trunk.R0), rng.Range(0.5, 0.9)));
            }
        }
    }

    private (double X, double Y, double Z) RandomLungPoint(PhantomRandom rng, int side)
    {
        for (int attempt = 0; ; attempt++)
        {
            double u = rng.Range(0.06, 0.85);
            if (Lung(u, side) is not { } lung) continue;
            double r = Math.Sqrt(rng.NextDouble()) * 0.9, phi = rng.Range(0, 2 * Math.PI);
            return (lung.Cx + r * lung.A * Math.Cos(phi), lung.Cy + r * lung.B * Math.Sin(phi), Z(u));
        }
    }

    /// <summary>A straight vessel segment with linearly tapering radius; its axial section is an ellipse elongated along its in-plane direction.</summary>
    private sealed record Vessel(int Side, double X0, double Y0, double Z0, double X1, double Y1, double Z1, double R0, double R1)
    {
        public EllipseShape? SectionAt(double z)
        {
            double dz = Z1 - Z0;
            if (Math.Abs(dz) < 1e-6) return null;
            double t = (z - Z0) / dz;
            if (t < 0 || t > 1) return null;
            double dx = X1 - X0, dy = Y1 - Y0;
            double len = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            double elongation = Math.Min(4, len / Math.Abs(dz));
            double r = R0 + t * (R1 - R0);
            return new EllipseShape(X0 + t * dx, Y0 + t * dy, r * elongation, r, Math.Atan2(dy, dx), 40);
        }
    }
}
