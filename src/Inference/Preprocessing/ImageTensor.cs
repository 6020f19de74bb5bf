using EdgeCancer.Dicom.Imaging;

namespace EdgeCancer.Inference.Preprocessing;

/// <summary>
/// Second half of preprocessing: HU → one 0–255 channel per window (linear VOI function, PS3.3 C.11.2.1.2) →
/// bilinear resize to the model's size → minus the per-channel mean, planes in the model's channel order.
/// The result is the [1, 3, Size, Size] input of an ImageNet-style network.
/// </summary>
public static class ImageTensor
{
    /// <summary>Builds the tensor data (3 × Size × Size floats, planar).</summary>
    public static float[] FromHu(HuImage image, PreprocessingSpec spec)
    {
        var windowed = Window(image, spec);
        int size = spec.Size;
        var tensor = new float[3 * size * size];
        for (int rgb = 0; rgb < 3; rgb++)
        {
            int plane = PlaneOf(rgb, spec);
            var destination = tensor.AsSpan(plane * size * size, size * size);
            Resize.Bilinear(windowed[rgb], image.Rows, image.Columns, destination, size, size);
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
