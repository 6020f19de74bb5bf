using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Training;

/// <summary>
/// Axial sections the body-part model must call "other": a water QA phantom with density inserts, a pair of thighs
/// (soft tissue, fat, femur cortex and marrow), and a near-empty field (air with a thin strip of table). The synthetic
/// patient generator has chest, head and abdomen only. Pure function of (seed, index).
/// </summary>
public static class OtherPhantom
{
    /// <summary>Kinds rotated through by index.</summary>
    public static readonly string[] Kinds = ["qa-phantom", "thighs", "empty-field"];

    /// <summary>Renders image <paramref name="index"/> of the run with <paramref name="seed"/> at <paramref name="matrix"/> pixels, noise included.</summary>
    public static HuImage Render(long seed, int index, int matrix = 512)
    {
        var rng = new PhantomRandom(seed, index, 901);
        string kind = Kinds[index % Kinds.Length];
        double fov = rng.Range(300, 480);
        var shapes = new List<EllipseShape>();
        switch (kind)
        {
            case "qa-phantom":
            {
                double r = rng.Range(90, 160);
                shapes.Add(EllipseShape.Circle(0, 0, r, (float)rng.Range(100, 140)));   // acrylic shell
                shapes.Add(EllipseShape.Circle(0, 0, r - rng.Range(4, 8), (float)rng.Range(-5, 5)));
                int inserts = rng.Next(4, 9);
                for (int i = 0; i < inserts; i++)
                {
                    double angle = 2 * Math.PI * i / inserts;
                    double d = r * 0.6;
                    float[] densities = [-1000, -800, -100, 120, 350, 900, 1200];
                    shapes.Add(EllipseShape.Circle(d * Math.Cos(angle), d * Math.Sin(angle), rng.Range(8, 18), densities[rng.Next(0, densities.Length)]));
                }
                break;
            }
            case "thighs":
            {
                double sep = rng.Range(75, 110), a = rng.Range(60, 85), b = rng.Range(60, 80);
                foreach (double side in new[] { -1.0, 1.0 })
                {
                    double cx = side * sep, cy = rng.Range(-10, 10);
                    shapes.Add(new EllipseShape(cx, cy, a, b, rng.Range(-0.3, 0.3), (float)rng.Range(-110, -80)));     // fat
                    shapes.Add(new EllipseShape(cx, cy, a - 10, b - 10, 0, (float)rng.Range(35, 55)));                // muscle
                    double fx = cx + side * rng.Range(-10, 10), fy = cy + rng.Range(-10, 5), fr = rng.Range(12, 17);
                    shapes.Add(EllipseShape.Circle(fx, fy, fr, (float)rng.Range(1100, 1400)));                        // cortex
                    shapes.Add(EllipseShape.Circle(fx, fy, fr - rng.Range(3, 5), (float)rng.Range(-50, 80)));          // marrow
                }
                break;
            }
            default:
            {
                // Air above the vertex or below the feet: only the table and, sometimes, a toe or a strand of hair.
                shapes.Add(new EllipseShape(0, fov * 0.38, fov * 0.45, 4, 0, (float)rng.Range(150, 300)));
                if (rng.Chance(0.5)) shapes.Add(EllipseShape.Circle(rng.Range(-60, 60), rng.Range(-60, 60), rng.Range(5, 25), (float)rng.Range(0, 60)));
                break;
            }
        }
        var hu = new float[matrix * matrix];
        hu.AsSpan().Fill(-1000);
        double pixel = fov / matrix, origin = -(matrix - 1) / 2.0 * pixel;
        for (int row = 0; row < matrix; row++)
        {
            double y = origin + row * pixel;
            var line = hu.AsSpan(row * matrix, matrix);
            foreach (var shape in shapes)
            {
                if (!shape.TrySpan(y, out double x0, out double x1)) continue;
                int c0 = Math.Max(0, (int)Math.Ceiling((x0 - origin) / pixel));
                int c1 = Math.Min(matrix - 1, (int)Math.Floor((x1 - origin) / pixel));
                if (c0 <= c1) line[c0..(c1 + 1)].Fill(shape.ValueAt(y));
            }
        }
        new PhantomRandom(seed, index, 902).AddGaussianNoise(hu, (float)rng.Range(5, 25));
        for (int i = 0; i < hu.Length; i++) hu[i] = MathF.Round(Math.Clamp(hu[i], CtPhantom.MinHu, CtPhantom.MaxHu));
        return new HuImage(matrix, matrix, hu);
    }
}
