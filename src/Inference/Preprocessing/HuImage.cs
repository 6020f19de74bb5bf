namespace EdgeCancer.Inference.Preprocessing;

/// <summary>One CT image in Hounsfield units, row-major (Rows × Columns).</summary>
public sealed record HuImage(int Rows, int Columns, float[] Values)
{
    /// <summary>Pixel size taken when an image does not say (a 36 cm chest field of view at 512 × 512).</summary>
    public const double DefaultPixelSpacingMm = 0.7;

    /// <summary>Size of one (square) pixel in mm: the mean of Pixel Spacing (0028,0030), else <see cref="DefaultPixelSpacingMm"/>.</summary>
    public double PixelSpacingMm { get; init; } = DefaultPixelSpacingMm;

    /// <summary>The value at a pixel.</summary>
    public float this[int row, int column] => Values[row * Columns + column];
}
