namespace EdgeCancer.Inference.Explain;

/// <summary>
/// An occlusion-sensitivity map: how much a model's probability drops when a region of the input is hidden.
/// <see cref="Grid"/> holds one value per patch position; <see cref="Values"/> the per-pixel mean drop of the patches
/// covering each pixel, at the image's own size (Rows × Columns, row-major).
/// </summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Label">The label whose probability was tracked.</param>
/// <param name="BaseProbability">Probability of <paramref name="Label"/> on the intact image.</param>
public sealed record Heatmap(
    string Model,
    string Version,
    string Label,
    double BaseProbability,
    int GridRows,
    int GridColumns,
    float[] Grid,
    int Rows,
    int Columns,
    float[] Values)
{
    /// <summary>
    /// The map as Rows × Columns bytes ready for a grayscale PNG or a colour ramp: 0 where hiding the region did not
    /// lower the probability, 255 at the largest drop (at least 0.01 so noise is not stretched to full scale).
    /// </summary>
    public byte[] ToBytes()
    {
        float max = Math.Max(0.01f, Values.Max());
        var bytes = new byte[Values.Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)Math.Clamp(MathF.Round(Values[i] / max * 255), 0, 255);
        return bytes;
    }

    /// <summary>Mean of <see cref="Values"/> inside a rectangle (image pixels, end exclusive).</summary>
    public double MeanIn(int row0, int column0, int row1, int column1)
    {
        double sum = 0;
        int n = 0;
        for (int r = Math.Max(0, row0); r < Math.Min(Rows, row1); r++)
            for (int c = Math.Max(0, column0); c < Math.Min(Columns, column1); c++) { sum += Values[r * Columns + c]; n++; }
        return n == 0 ? double.NaN : sum / n;
    }
}
