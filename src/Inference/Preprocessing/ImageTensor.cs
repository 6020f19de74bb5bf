using EdgeCancer.Dicom.Imaging;

namespace EdgeCancer.Inference.Preprocessing;

/// <summary>
/// Second half of preprocessing: HU → one 0–255 channel per window (linear VOI function, PS3.3 C.11.2.1.2) →
/// (optionally a tile) → bilinear resize to the model's size → minus the per-channel mean, planes in the model's
/// channel order. Each result is the [1, 3, Size, Size] input of an ImageNet-style network.
/// </summary>
public static class ImageTensor
{
    /// <summary>The tensor of the whole image (3 × Size × Size floats, planar).</summary>
    public static float[] FromHu(HuImage image, PreprocessingSpec spec) =>
        FromChannels(Window(image, spec), image.Rows, image.Columns, spec, new Tile(0, 0, image.Rows, image.Columns));

    /// <summary>
    /// The tensor of the whole image written into <paramref name="destination"/> (3 × Size × Size), windows and
    /// bilinear resize fused: only the source pixels the resize reads are windowed, and no full-size channel is made.
    /// Gives the same floats as <see cref="FromHu"/> (same table, same interpolation arithmetic in the same order).
    /// </summary>
    public static void FromHuInto(HuImage image, PreprocessingSpec spec, Span<float> destination)
    {
        int size = spec.Size, rows = image.Rows, columns = image.Columns;
        if (destination.Length < 3 * size * size) throw new ArgumentException("The destination is smaller than the tensor.", nameof(destination));
        var values = image.Values;
        double sy = (double)rows / size, sx = (double)columns / size;
        Span<int> x0 = size <= 4096 ? stackalloc int[size] : new int[size];
        Span<int> x1 = size <= 4096 ? stackalloc int[size] : new int[size];
        Span<float> fx = size <= 4096 ? stackalloc float[size] : new float[size];
        for (int c = 0; c < size; c++)
        {
            double x = Math.Clamp((c + 0.5) * sx - 0.5, 0, columns - 1);
            x0[c] = Math.Min((int)x, columns - 1);
            x1[c] = Math.Min(x0[c] + 1, columns - 1);
            fx[c] = (float)(x - x0[c]);
        }
        for (int rgb = 0; rgb < 3; rgb++)
        {
            var lut = BuildLut(new VoiWindow(spec.Windows[rgb].Center, spec.Windows[rgb].Width));
            float mean = (float)spec.Mean[rgb];
            var plane = destination.Slice(PlaneOf(rgb, spec) * size * size, size * size);
            for (int r = 0; r < size; r++)
            {
                double y = Math.Clamp((r + 0.5) * sy - 0.5, 0, rows - 1);
                int y0 = Math.Min((int)y, rows - 1), y1 = Math.Min(y0 + 1, rows - 1);
                float fy = (float)(y - y0);
                int top = y0 * columns, bottom = y1 * columns;
                var row = plane.Slice(r * size, size);
                for (int c = 0; c < size; c++)
                {
                    float ta = lut[LutIndex(values[top + x0[c]])], tb = lut[LutIndex(values[top + x1[c]])];
                    float ba = lut[LutIndex(values[bottom + x0[c]])], bb = lut[LutIndex(values[bottom + x1[c]])];
                    float t = ta + (tb - ta) * fx[c];
                    float u = ba + (bb - ba) * fx[c];
                    float v = t + (u - t) * fy;
                    row[c] = v - mean;
                }
            }
        }
    }

    private static int LutIndex(float hu) => Math.Clamp((int)MathF.Round(hu) - LutMin, 0, LutMax - LutMin);

    /// <summary>One tensor per tile of <paramref name="spec"/> (one for the whole image when Tiles is 1).</summary>
    public static IReadOnlyList<float[]> TensorsFromChannels(float[][] channels, int rows, int columns, PreprocessingSpec spec) =>
        [.. TilesOf(rows, columns, spec).Select(t => FromChannels(channels, rows, columns, spec, t))];

    /// <summary>A rectangle of the image, in pixels.</summary>
    public readonly record struct Tile(int Row, int Column, int Rows, int Columns);

    /// <summary>The tiles of an image of the given size.</summary>
    public static IReadOnlyList<Tile> TilesOf(int rows, int columns, PreprocessingSpec spec)
    {
        if (spec.Tiles == 1) return [new Tile(0, 0, rows, columns)];
        int h = (int)Math.Round(rows * PreprocessingSpec.TileFraction), w = (int)Math.Round(columns * PreprocessingSpec.TileFraction);
        return [new Tile(0, 0, h, w), new Tile(0, columns - w, h, w), new Tile(rows - h, 0, h, w), new Tile(rows - h, columns - w, h, w)];
    }

    /// <summary>Crops windowed channels (R, G, B, image size) to <paramref name="tile"/>, resizes and subtracts the mean.</summary>
    public static float[] FromChannels(float[][] channels, int rows, int columns, PreprocessingSpec spec, Tile tile)
    {
        int size = spec.Size;
        var tensor = new float[3 * size * size];
        float[]? crop = tile.Rows == rows && tile.Columns == columns ? null : new float[tile.Rows * tile.Columns];
        for (int rgb = 0; rgb < 3; rgb++)
        {
            var source = channels[rgb];
            if (crop is not null)
            {
                for (int r = 0; r < tile.Rows; r++)
                    source.AsSpan((tile.Row + r) * columns + tile.Column, tile.Columns).CopyTo(crop.AsSpan(r * tile.Columns, tile.Columns));
                source = crop;
            }
            var destination = tensor.AsSpan(PlaneOf(rgb, spec) * size * size, size * size);
            Resize.Bilinear(source, tile.Rows, tile.Columns, destination, size, size);
            float mean = (float)spec.Mean[rgb];
            for (int i = 0; i < destination.Length; i++) destination[i] -= mean;
        }
        return tensor;
    }

    /// <summary>The three windowed channels (R, G, B order, 0–255) at the image's own size.</summary>
    public static float[][] Window(HuImage image, PreprocessingSpec spec)
    {
        var channels = new float[3][];
        for (int w = 0; w < 3; w++)
        {
            var window = new VoiWindow(spec.Windows[w].Center, spec.Windows[w].Width);
            var lut = BuildLut(window);
            var channel = new float[image.Values.Length];
            var values = image.Values;
            for (int i = 0; i < values.Length; i++)
            {
                int index = Math.Clamp((int)MathF.Round(values[i]) - LutMin, 0, lut.Length - 1);
                channel[i] = lut[index];
            }
            channels[w] = channel;
        }
        return channels;
    }

    /// <summary>The plane index (0–2) that RGB channel <paramref name="rgb"/> occupies in the tensor.</summary>
    public static int PlaneOf(int rgb, PreprocessingSpec spec) => spec.ChannelOrder == "BGR" ? 2 - rgb : rgb;

    // HU values are integral in practice (stored integers × slope 1): a table over the CT range is exact and fast.
    private const int LutMin = -4096, LutMax = 8191;

    private static float[] BuildLut(VoiWindow window)
    {
        var lut = new float[LutMax - LutMin + 1];
        for (int i = 0; i < lut.Length; i++) lut[i] = (float)window.Apply(i + LutMin, 0, 255);
        return lut;
    }
}
