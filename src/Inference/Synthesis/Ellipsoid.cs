namespace EdgeCancer.Inference.Synthesis;

/// <summary>An ellipsoid rotated about the z axis; its axial section at z is an <see cref="EllipseShape"/>.</summary>
public sealed record Ellipsoid(double Cx, double Cy, double Cz, double A, double B, double C, double Angle, float Hu)
{
    /// <summary>The section at <paramref name="z"/>, or null when the plane misses it.</summary>
    public EllipseShape? SectionAt(double z)
    {
        double t = (z - Cz) / C;
        if (t <= -1 || t >= 1) return null;
        double k = Math.Sqrt(1 - t * t);
        return new EllipseShape(Cx, Cy, A * k, B * k, Angle, Hu);
    }
}
