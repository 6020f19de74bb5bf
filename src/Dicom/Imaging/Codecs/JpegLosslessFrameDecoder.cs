namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>Adapts the JPEG Lossless (process 14, ITU-T T.81 Annex H) decoder to <see cref="IDicomFrameDecoder"/>.</summary>
public sealed class JpegLosslessFrameDecoder : IDicomFrameDecoder
{
    /// <inheritdoc />
    public bool CanDecode(DicomTransferSyntax syntax) =>
        syntax.Uid == DicomTransferSyntax.JPEGLossless.Uid || syntax.Uid == DicomTransferSyntax.JPEGLosslessSV1.Uid;

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination) =>
        // TODO(codec merge): replace with JpegLosslessDecoder.Decode(compressedFrame, info, destination);
        throw new DicomCodecException(DicomCodecRegistry.NoDecoderMessage(DicomTransferSyntax.JPEGLossless) + ": the JPEG Lossless codec is not merged into this build yet");
}
