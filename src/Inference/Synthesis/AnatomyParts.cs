namespace EdgeCancer.Inference.Synthesis;

/// <summary>Structures shared by the trunk regions: vertebrae with discs, paraspinal muscles and ribs.</summary>
internal static class AnatomyParts
{
    /// <summary>
    /// A vertebra centred at (0, <paramref name="cy"/>): cortical shell, cancellous body, posterior arch, spinal canal and
    /// spinous process. Every <paramref name="level"/> mm an intervertebral disc (soft tissue) replaces the body.
    /// </summary>
    public static void Vertebra(List<EllipseShape> s, double z, double cy, double radius, double level, double phase)
    {
        double f = (z / level + phase) % 1.0;
        if (f < 0) f += 1;
        bool disc = f < 0.2;
        s.Add(new EllipseShape(-radius * 1.6, cy + radius * 1.9, radius * 1.1, radius * 1.0, 0, 50)); // paraspinal muscles
        s.Add(new EllipseShape(radius * 1.6, cy + radius * 1.9, radius * 1.1, radius * 1.0, 0, 50));
        s.Add(new EllipseShape(0, cy + radius * 1.55, radius * 0.9, radius * 0.6, 0, 900)); // posterior arch
        s.Add(new EllipseShape(0, cy + radius * 2.6, radius * 0.25, radius * 0.75, 0, 900)); // spinous process
        s.Add(EllipseShape.Circle(0, cy + radius * 1.45, radius * 0.45, 25)); // canal: cord and CSF
        if (disc)
        {
            s.Add(new EllipseShape(0, cy, radius * 1.05, radius * 0.95, 0, 90));
        }
        else
        {
            var body = new EllipseShape(0, cy, radius * 1.05, radius * 0.95, 0, 1050);
            s.Add(body);
            s.Add(body.Inset(2.5, 320));
        }
    }

    /// <summary>
    /// Rib sections around a thoracic cavity ellipse. Ribs run obliquely, so in an axial plane each appears as a short
    /// oval whose presence changes with z; the phase pattern makes the set differ from slice to slice.
    /// </summary>
    public static void Ribs(List<EllipseShape> s, double z, EllipseShape cavity, double phase, double pitch = 26)
    {
        for (int k = 0; k < 9; k++)
        {
            double theta = Math.PI * (0.12 + 0.76 * k / 8.0); // from anterior-lateral to posterior, each side
            double wave = Math.Cos(2 * Math.PI * (z / pitch + k * 0.37 + phase));
            if (wave < 0.25) continue;
            foreach (int side in (ReadOnlySpan<int>)[-1, 1])
            {
                double px = side * (cavity.A + 5) * Math.Sin(theta);
                double py = -(cavity.B + 5) * Math.Cos(theta) + cavity.Cy;
                double tangent = Math.Atan2((cavity.B + 5) * Math.Sin(theta), side * (cavity.A + 5) * Math.Cos(theta)); // dP/dθ
                var rib = new EllipseShape(px, py, 7, 3.6, tangent, 850);
                s.Add(rib);
                s.Add(rib with { A = 4.5, B = 1.6, Hu = 260 });
            }
        }
    }
}
