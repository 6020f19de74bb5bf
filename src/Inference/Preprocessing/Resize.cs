namespace EdgeCancer.Inference.Preprocessing;

/// <summary>Image resampling.</summary>
public static class Resize
{
    /// <summary>
    /// Bilinear resampling with pixel centres aligned (source = (destination + 0.5) × scale − 0.5, clamped at the
    /// edges), as torchvision and OpenCV resize with align_corners false.
    /// </summary>
    public static void Bilinear(ReadOnlySpan<float> source, int sourceRows, int sourceColumns, Span<float> destination, int rows, int columns)
    {
        if (source.Length < sourceRows * sourceColumns) throw new ArgumentException("The source is smaller than its stated size.", nameof(source));
        if (destination.Length < rows * columns) throw new ArgumentException("The destination is smaller than its stated size.", nameof(destination));
        double sy = (double)sourceRows / rows, sx = (double)sourceColumns / columns;
        Span<int> x0 = columns <= 4096 ? stackalloc int[columns] : new int[columns];
        Span<float> fx = columns <= 4096 ? stackalloc float[columns] : new float[columns];
        for (int c = 0; c < columns; c++)
        {
            double x = Math.Clamp((c + 0.5) * sx - 0.5, 0, sourceColumns - 1);
            x0[c] = Math.Min((int)x, sourceColumns - 1);
            fx[c] = (float)(x - x0[c]);
        }
        for (int r = 0; r < rows; r++)
        {
            double y = Math.Clamp((r + 0.5) * sy - 0.5, 0, sourceRows - 1);
            int y0 = Math.Min((int)y, sourceRows - 1), y1 = Math.Min(y0 + 1, sourceRows - 1);
            float fy = (float)(y - y0);
            var top = source.Slice(y0 * sourceColumns, sourceColumns);
            var bottom = source.Slice(y1 * sourceColumns, sourceColumns);
            var row = destination.Slice(r * columns, columns);
            for (int c = 0; c < columns; c++)
            {
                int a = x0[c], b = Math.Min(a + 1, sourceColumns - 1);
                float t = top[a] + (top[b] - top[a]) * fx[c];
                float u = bottom[a] + (bottom[b] - bottom[a]) * fx[c];
                row[c] = t + (u - t) * fy;
            }
        }
    }
}
