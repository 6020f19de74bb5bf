namespace EdgeCancer.Inference.Preprocessing;

/// <summary>One CT image in Hounsfield units, row-major (Rows × Columns).</summary>
public sealed record HuImage(int Rows, int Columns, float[] Values)
{
    /// <summary>The value at a pixel.</summary>
    public float this[int row, int column] => Values[row * Columns + column];
}
