namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Standard normal quantiles at the midpoints of 65,536 equal-probability bins, so that a 16-bit random index gives a
/// normal deviate without a logarithm per sample (tails end at about ±4.3σ, which is enough for scanner noise).
/// </summary>
internal static class GaussianTable
{
    private static readonly float[] Quantiles = Build();

    public static float Sample(ushort index) => Quantiles[index];

    private static float[] Build()
    {
        var table = new float[65536];
        for (int i = 0; i < table.Length; i++) table[i] = (float)InverseNormal((i + 0.5) / table.Length);
        return table;
    }

    /// <summary>Inverse of the standard normal CDF by P. J. Acklam's rational approximation (relative error below 1.2e-9).</summary>
    internal static double InverseNormal(double p)
    {
        const double pLow = 0.02425;
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        if (p < pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - pLow)
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double u = p - 0.5, r = u * u;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * u / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
