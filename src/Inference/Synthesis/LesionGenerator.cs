namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Decides a patient's lesion status and draws its lesions. Chest: malignant-looking spiculated solid nodules,
/// part-solid and ground-glass nodules, lobulated masses; benign calcified granulomas and small smooth nodules, all
/// in the lungs. Abdomen: malignant-looking lobulated hypodense liver metastases; benign simple cysts. Head: none.
/// </summary>
internal static class LesionGenerator
{
    public static IReadOnlyList<Lesion> Generate(Anatomy anatomy, CtPhantomOptions options, PhantomRandom rng)
    {
        if (anatomy.Region == BodyRegion.Head || options.Lesions == LesionMode.None) return [];
        double roll = rng.NextDouble();
        int malignant, benign;
        if (options.Lesions == LesionMode.Always)
        {
            malignant = rng.Chance(0.25) ? 2 : 1;
            benign = rng.Chance(0.4) ? 1 : 0;
        }
        else if (roll < 0.4) return [];                               // healthy control
        else if (roll < 0.6) { malignant = 0; benign = rng.Next(1, 3); } // benign only
        else { malignant = rng.Chance(0.2) ? 2 : 1; benign = rng.Chance(0.3) ? 1 : 0; }

        var lesions = new List<Lesion>();
        for (int i = 0; i < malignant + benign; i++)
        {
            bool isMalignant = i < malignant;
            var lesion = anatomy.Region == BodyRegion.Chest ? Lung(anatomy, options, rng, i + 1, isMalignant) : Liver(anatomy, options, rng, i + 1, isMalignant);
            if (lesion is not null) lesions.Add(lesion);
        }
        return lesions;
    }

    private static Lesion? Lung(Anatomy anatomy, CtPhantomOptions o, PhantomRandom rng, int id, bool malignant)
    {
        string kind; LesionDensity density; double d; float hu; float? core = null; double coreFraction = 0; int spicules = 0, lobules = 0;
        if (malignant)
        {
            double k = rng.NextDouble();
            if (k < 0.35) { kind = "nodule"; density = LesionDensity.Solid; d = Size(o, rng, 8, 30); hu = (float)rng.Range(32, 50); spicules = rng.Next(6, 13); lobules = rng.Next(0, 3); }
            else if (k < 0.6) { kind = "nodule"; density = LesionDensity.PartSolid; d = Size(o, rng, 10, 30); hu = (float)rng.Range(-540, -440); core = (float)rng.Range(30, 48); coreFraction = rng.Range(0.35, 0.6); lobules = rng.Next(0, 2); }
            else if (k < 0.8) { kind = "nodule"; density = LesionDensity.GroundGlass; d = Size(o, rng, 10, 25); hu = (float)rng.Range(-600, -450); lobules = rng.Next(1, 3); }
            else { kind = "mass"; density = LesionDensity.Solid; d = Size(o, rng, 30, 40); hu = (float)rng.Range(32, 50); spicules = rng.Next(8, 15); lobules = rng.Next(2, 4); }
        }
        else if (rng.Chance(0.5)) { kind = "granuloma"; density = LesionDensity.Calcified; d = Size(o, rng, 3, 8); hu = (float)rng.Range(300, 800); }
        else { kind = "nodule"; density = LesionDensity.Solid; d = Size(o, rng, 3, 6); hu = (float)rng.Range(30, 50); }
        return Build(anatomy, rng, id, kind, density, malignant, d, hu, core, coreFraction, spicules, lobules);
    }

    private static Lesion? Liver(Anatomy anatomy, CtPhantomOptions o, PhantomRandom rng, int id, bool malignant)
    {
        if (malignant)
            return Build(anatomy, rng, id, "metastasis", LesionDensity.Hypodense, true, Size(o, rng, 8, 40), (float)rng.Range(20, 35), null, 0, 0, rng.Next(2, 4));
        return Build(anatomy, rng, id, "cyst", LesionDensity.Cystic, false, Size(o, rng, 5, 25), (float)rng.Range(0, 10), null, 0, 0, 0);
    }

    /// <summary>A diameter drawn log-uniformly from the kind's range intersected with the configured range.</summary>
    private static double Size(CtPhantomOptions o, PhantomRandom rng, double min, double max)
    {
        double lo = Math.Clamp(min, o.MinLesionDiameter, o.MaxLesionDiameter), hi = Math.Clamp(max, o.MinLesionDiameter, o.MaxLesionDiameter);
        return Math.Round(Math.Exp(rng.Range(Math.Log(lo), Math.Log(hi) + 1e-9)), 1);
    }

    private static Lesion? Build(Anatomy anatomy, PhantomRandom rng, int id, string kind, LesionDensity density, bool malignant,
        double diameter, float hu, float? coreHu, double coreFraction, int spicules, int lobules)
    {
        hu = MathF.Round(hu);
        if (coreHu is { } rounded) coreHu = MathF.Round(rounded);
        double r = diameter / 2;
        double a = r * rng.Range(0.9, 1.1), b = r * rng.Range(0.9, 1.1), c = r * rng.Range(0.85, 1.15);
        double angle = rng.Range(0, Math.PI);
        if (!TryPlace(anatomy, rng, r, out var organ, out double x, out double y, out double z)) return null;

        var parts = new List<Ellipsoid>();
        for (int i = 0; i < spicules; i++)
        {
            double phi = rng.Range(0, 2 * Math.PI), length = r * rng.Range(0.5, 1.1);
            double dist = r * 0.8 + length / 2;
            parts.Add(new Ellipsoid(x + dist * Math.Cos(phi), y + dist * Math.Sin(phi), z + rng.Range(-0.3, 0.3) * c,
                length / 2 + r * 0.2, rng.Range(0.4, 0.8), Math.Max(1.0, c * rng.Range(0.2, 0.5)), phi, hu - 15));
        }
        for (int i = 0; i < lobules; i++)
        {
            double phi = rng.Range(0, 2 * Math.PI), dist = r * rng.Range(0.45, 0.7), lr = r * rng.Range(0.4, 0.6);
            parts.Add(new Ellipsoid(x + dist * Math.Cos(phi), y + dist * Math.Sin(phi), z + rng.Range(-0.3, 0.3) * c, lr, lr, lr, 0, hu));
        }
        parts.Add(new Ellipsoid(x, y, z, a, b, c, angle, hu));
        if (coreHu is { } ch) parts.Add(new Ellipsoid(x, y, z, a * coreFraction, b * coreFraction, c * coreFraction, angle, ch));

        return new Lesion(id, kind, density, malignant, organ, Math.Round(x, 2), Math.Round(y, 2), Math.Round(z, 2), diameter,
            Math.Round(a, 2), Math.Round(b, 2), Math.Round(c, 2), hu, coreHu ?? hu, spicules, lobules)
        { Parts = parts };
    }

    /// <summary>A centre inside a host organ with the lesion's radius kept clear of its edge when the organ is large enough.</summary>
    private static bool TryPlace(Anatomy anatomy, PhantomRandom rng, double r, out string organ, out double x, out double y, out double z)
    {
        var (from, to) = anatomy.LesionRange;
        for (int attempt = 0; attempt < 200; attempt++)
        {
            z = anatomy.Z(rng.Range(from, to));
            var hosts = anatomy.LesionHosts(z).ToList();
            if (hosts.Count == 0) continue;
            var (name, host) = hosts[rng.Next(0, hosts.Count)];
            double margin = attempt < 150 ? r + 2 : 0;
            double ha = host.A - margin, hb = host.B - margin;
            if (ha <= 0 || hb <= 0) continue;
            double rho = Math.Sqrt(rng.NextDouble()) * 0.85, phi = rng.Range(0, 2 * Math.PI);
            double px = rho * ha * Math.Cos(phi), py = rho * hb * Math.Sin(phi);
            double cos = Math.Cos(host.Angle), sin = Math.Sin(host.Angle);
            x = host.Cx + px * cos - py * sin;
            y = host.Cy + px * sin + py * cos;
            organ = name;
            return true;
        }
        organ = ""; x = y = z = 0;
        return false;
    }
}
