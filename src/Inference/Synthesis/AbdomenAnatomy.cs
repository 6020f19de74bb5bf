namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Abdomen from the liver dome (u = 0) to the iliac crests (u = 1): subcutaneous and visceral fat, abdominal wall,
/// liver (≈ 60 HU) with gallbladder, spleen, stomach with its gas cap, kidneys with sinus fat, pancreas, aorta and IVC,
/// lumbar spine with psoas, lower ribs, iliac wings, and bowel loops and colon with gas pockets.
/// </summary>
internal sealed class AbdomenAnatomy : Anatomy
{
    private readonly double _sx, _sy, _fat, _liverHu, _discPhase, _ribPhase, _kidneyShift;
    private readonly List<Loop> _loops = [];

    public AbdomenAnatomy(PhantomRandom rng)
    {
        _sx = rng.Range(0.9, 1.08);
        _sy = rng.Range(0.88, 1.08);
        _fat = rng.Range(10, 38);
        _liverHu = rng.Range(52, 66);
        _discPhase = rng.NextDouble();
        _ribPhase = rng.NextDouble();
        _kidneyShift = rng.Range(-0.05, 0.05);
        for (int i = 0; i < 28; i++)
        {
            double u = rng.Range(0.32, 1.0);
            double r = rng.Range(8, 16);
            _loops.Add(new Loop(rng.Range(-0.55, 0.55), rng.Range(-0.55, 0.25), Z(u), r, rng.Range(15, 45), rng.Chance(0.5)));
        }
    }

    public override BodyRegion Region => BodyRegion.Abdomen;
    public override double Length => 300;
    public override double TopZ => -250;
    public override double FieldOfView => 400; // 0.78125 mm pixels at 512
    public override double ReferenceNoise => 12;
    public override (double From, double To) LesionRange => (0.04, 0.4);

    private EllipseShape Body(double u) => new(0, 0, 152 * _sx * (1 + 0.04 * u), 112 * _sy, 0, -105);

    private EllipseShape Cavity(double u)
    {
        var body = Body(u);
        return new EllipseShape(0, 0, body.A - _fat - 12, body.B - _fat - 12, 0, -92);
    }

    private EllipseShape? Liver(double u)
    {
        var cav = Cavity(u);
        double l = Profiles.Cap(u, -0.08, 0.1, 0.55);
        if (l <= 0) return null;
        return new EllipseShape(-0.33 * cav.A, -0.06 * cav.B, 0.6 * cav.A * l, 0.76 * cav.B * l, 0.3, (float)_liverHu);
    }

    public override IEnumerable<(string Organ, EllipseShape Section)> LesionHosts(double z)
    {
        if (Liver(U(z)) is { } liver) yield return ("liver", liver);
    }

    public override void AddShapes(double z, List<EllipseShape> s)
    {
        double u = U(z);
        var body = Body(u);
        s.Add(body);
        s.Add(body.Inset(_fat, 50));     // abdominal wall muscle
        var cav = Cavity(u);
        if (u < 0.38) AnatomyParts.Ribs(s, z, cav with { A = cav.A - 4, B = cav.B - 4 }, _ribPhase, 30);
        s.Add(cav);                      // visceral fat
        if (u > 0.72)                    // iliac wings
        {
            double k = Profiles.Smooth(u, 0.72, 1.0);
            foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            {
                var wing = new EllipseShape(side * 0.62 * cav.A, 0.3 * cav.B, 45 * k, 7, side * 1.1, 800);
                s.Add(wing);
                s.Add(wing.Inset(2.5, 240));
            }
        }

        // Bowel loops and colon (fluid walls, gas pockets anteriorly).
        foreach (var loop in _loops)
        {
            double t = (z - loop.Z) / loop.HalfLength;
            if (t <= -1 || t >= 1) continue;
            var wall = EllipseShape.Circle(loop.X * cav.A, loop.Y * cav.B, loop.R * Math.Sqrt(1 - t * t * 0.5), 22);
            s.Add(wall);
            if (loop.Gas) s.Add(new EllipseShape(wall.Cx, wall.Cy - wall.A * 0.5, wall.A * 0.85, wall.A * 0.75, 0, -1000) { Clip = wall.Inset(1.5, 0) });
        }
        if (u > 0.3)
        {
            foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            {
                var colon = EllipseShape.Circle(side * 0.66 * cav.A, 0.05 * cav.B, 20, 25);
                s.Add(colon);
                s.Add(new EllipseShape(colon.Cx, colon.Cy - 8, 17, 12, 0, -1000) { Clip = colon.Inset(2, 0) });
            }
        }

        if (Liver(u) is { } liver)
        {
            s.Add(liver);
            if (u is > 0.2 and < 0.4) s.Add(EllipseShape.Circle(-0.2 * cav.A, -0.45 * cav.B, 14 * Profiles.Cap(u, 0.2, 0.3, 0.4), 10)); // gallbladder
        }
        double sp = Profiles.Cap(u, -0.08, 0.1, 0.36);
        if (sp > 0) s.Add(new EllipseShape(0.56 * cav.A, 0.32 * cav.B, 0.2 * cav.A * sp, 0.36 * cav.B * sp, -0.45, 48)); // spleen
        double st = Profiles.Cap(u, -0.05, 0.12, 0.4);
        if (st > 0)
        {
            var stomach = new EllipseShape(0.3 * cav.A, -0.32 * cav.B, 0.3 * cav.A * st, 0.3 * cav.B * st, 0.2, 15);
            s.Add(stomach);
            s.Add(new EllipseShape(stomach.Cx, stomach.Cy - stomach.B * 0.7, stomach.A, stomach.B * 0.55, 0, -1000) { Clip = stomach });
        }
        double pa = Profiles.Cap(u, 0.28, 0.36, 0.46);
        if (pa > 0) s.Add(new EllipseShape(0.05 * cav.A, 0.1 * cav.B, 0.36 * cav.A * pa, 11, -0.2, 44)); // pancreas
        foreach (int side in (ReadOnlySpan<int>)[-1, 1])
        {
            double shift = side > 0 ? -0.04 : 0;
            double k = Profiles.Cap(u, 0.24 + shift + _kidneyShift, 0.42 + shift + _kidneyShift, 0.64 + shift + _kidneyShift);
            if (k <= 0) continue;
            var kidney = new EllipseShape(side * 0.44 * cav.A, 0.5 * cav.B, 28 * k, 40 * k, side * 0.45, 32);
            s.Add(kidney);
            s.Add(new EllipseShape(kidney.Cx - side * 8 * k, kidney.Cy, 9 * k, 16 * k, side * 0.45, -60)); // renal sinus fat
        }
        foreach (int side in (ReadOnlySpan<int>)[-1, 1]) // psoas
            s.Add(EllipseShape.Circle(side * 0.2 * cav.A, 0.62 * cav.B, 8 + 16 * Profiles.Smooth(u, 0.3, 0.95), 50));
        s.Add(EllipseShape.Circle(0.1 * cav.A, 0.5 * cav.B, 11, 42));              // aorta
        s.Add(new EllipseShape(-0.12 * cav.A, 0.44 * cav.B, 13, 10, 0, 40));       // IVC
        AnatomyParts.Vertebra(s, z, 0.7 * cav.B, 20, 36, _discPhase);
    }

    /// <summary>A bowel loop: a short tube along z at relative (X, Y) of the cavity.</summary>
    private sealed record Loop(double X, double Y, double Z, double R, double HalfLength, bool Gas);
}
