namespace EdgeCancer.Inference.Synthesis;

/// <summary>Shape functions of the cranio-caudal coordinate u (0 at the top of a region, 1 at its bottom) that make organs grow and shrink from slice to slice.</summary>
internal static class Profiles
{
    /// <summary>0 below <paramref name="a"/>, 1 above <paramref name="b"/>, a smooth step between.</summary>
    public static double Smooth(double u, double a, double b)
    {
        if (u <= a) return 0;
        if (u >= b) return 1;
        double t = (u - a) / (b - a);
        return t * t * (3 - 2 * t);
    }

    /// <summary>An organ's relative size: 0 outside [start, end], 1 at <paramref name="peak"/>, elliptic (convex) on each side.</summary>
    public static double Cap(double u, double start, double peak, double end)
    {
        if (u <= start || u >= end) return 0;
        double t = u < peak ? (peak - u) / (peak - start) : (u - peak) / (end - peak);
        return Math.Sqrt(Math.Max(0, 1 - t * t));
    }
}
