namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>Adapts the RLE Lossless codec (PS3.5 Annex G) to <see cref="IDicomFrameDecoder"/>.</summary>
public sealed class RleFrameDecoder : IDicomFrameDecoder
{
    /// <inheritdoc />
    public bool CanDecode(DicomTransferSyntax syntax) => syntax.Uid == DicomTransferSyntax.RLELossless.Uid;

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination) =>
        // TODO(codec merge): replace with RleCodec.Decode(compressedFrame, info, destination);
        throw new DicomCodecException(DicomCodecRegistry.NoDecoderMessage(DicomTransferSyntax.RLELossless) + ": the RLE codec is not merged into this build yet");
}
