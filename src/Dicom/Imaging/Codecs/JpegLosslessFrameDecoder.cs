namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>Adapts the JPEG Lossless (process 14, ITU-T T.81 Annex H) decoder to <see cref="IDicomFrameDecoder"/>.</summary>
/// <remarks>
/// <para>
/// Color: the decoder returns the components exactly as they were encoded and never converts YCbCr to RGB. A
/// lossless JPEG stream carries no color transform of its own (T.81 Annex H codes each component independently;
/// any JFIF/Adobe marker is only a hint), and PS3.5 §8.2.1 makes the dataset's Photometric Interpretation (RGB or
/// YBR_FULL for lossless) describe the components in the bitstream. So the decoded frame keeps the dataset's
/// Photometric Interpretation, and <see cref="DicomImage"/> applies it (YBR_FULL → RGB, PS3.3 C.7.6.3.1.2) when
/// rendering, exactly as for a native YBR_FULL frame. Converting here as well would convert twice. (DCMTK's
/// <c>dcmdjpeg</c> instead converts YBR_FULL to RGB by default and rewrites Photometric Interpretation; with
/// <c>+cn</c> it gives the same samples as this decoder.)
/// </para>
/// <para>
/// Planar Configuration: the JPEG decoder writes color-by-pixel, the only configuration PS3.5 §8.2.1 allows for
/// JPEG (Planar Configuration shall be 0). A dataset that still says 1 gets its decoded frame re-ordered
/// color-by-plane, so the frame always matches <see cref="PixelFrameInfo"/> as <see cref="IDicomFrameDecoder"/>
/// promises.
/// </para>
/// </remarks>
public sealed class JpegLosslessFrameDecoder : IDicomFrameDecoder
{
    /// <inheritdoc />
    public bool CanDecode(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.Uid == DicomTransferSyntax.JPEGLossless.Uid || syntax.Uid == DicomTransferSyntax.JPEGLosslessSV1.Uid;
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination)
    {
        if (info.SamplesPerPixel == 1 || info.PlanarConfiguration == 0)
        {
            JpegLosslessDecoder.Decode(compressedFrame, info, destination);
            return;
        }

        var byPixel = info with { PlanarConfiguration = 0 };
        var interleaved = GC.AllocateUninitializedArray<byte>(checked((int)byPixel.NativeFrameLength));
        JpegLosslessDecoder.Decode(compressedFrame, byPixel, interleaved);
        ToColorByPlane(interleaved, info, destination);
    }

    private static void ToColorByPlane(ReadOnlySpan<byte> interleaved, PixelFrameInfo info, Span<byte> destination)
    {
        int samples = info.SamplesPerPixel;
        int bytes = info.BytesPerSample;
        int pixels = (int)info.PixelCount;
        for (int s = 0; s < samples; s++)
        {
            Span<byte> plane = destination.Slice(s * pixels * bytes, pixels * bytes);
            for (int p = 0; p < pixels; p++)
            {
                interleaved.Slice(((p * samples) + s) * bytes, bytes).CopyTo(plane.Slice(p * bytes, bytes));
            }
        }
    }
}
