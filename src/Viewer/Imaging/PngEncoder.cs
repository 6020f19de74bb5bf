using SkiaSharp;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>Encodes rendered frames as PNG with SkiaSharp.</summary>
public static class PngEncoder
{
    /// <summary>An 8-bit grayscale PNG of <paramref name="rows"/> × <paramref name="columns"/> pixels.</summary>
    public static byte[] EncodeGray8(ReadOnlySpan<byte> pixels, int columns, int rows)
    {
        if (pixels.Length < columns * rows) throw new ArgumentException("Fewer pixels than rows × columns.", nameof(pixels));
        var info = new SKImageInfo(columns, rows, SKColorType.Gray8, SKAlphaType.Opaque);
        return Encode(info, pixels[..(columns * rows)], columns);
    }

    /// <summary>A PNG of interleaved 8-bit RGB pixels (expanded to RGBA for Skia).</summary>
    public static byte[] EncodeRgb24(ReadOnlySpan<byte> rgb, int columns, int rows)
    {
        var rgba = new byte[columns * rows * 4];
        for (int i = 0, j = 0; i < columns * rows; i++, j += 3)
        {
            rgba[i * 4] = rgb[j];
            rgba[i * 4 + 1] = rgb[j + 1];
            rgba[i * 4 + 2] = rgb[j + 2];
            rgba[i * 4 + 3] = 255;
        }
        return Encode(new SKImageInfo(columns, rows, SKColorType.Rgba8888, SKAlphaType.Opaque), rgba, columns * 4);
    }

    /// <summary>A PNG with an alpha channel from interleaved straight-alpha RGBA pixels.</summary>
    public static byte[] EncodeRgba(ReadOnlySpan<byte> rgba, int columns, int rows)
    {
        if (rgba.Length < columns * rows * 4) throw new ArgumentException("Fewer pixels than rows × columns × 4.", nameof(rgba));
        return Encode(new SKImageInfo(columns, rows, SKColorType.Rgba8888, SKAlphaType.Unpremul), rgba[..(columns * rows * 4)], columns * 4);
    }

    private static byte[] Encode(SKImageInfo info, ReadOnlySpan<byte> pixels, int rowBytes)
    {
        using var image = SKImage.FromPixelCopy(info, pixels, rowBytes) ?? throw new InvalidOperationException("SkiaSharp could not create the image.");
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
