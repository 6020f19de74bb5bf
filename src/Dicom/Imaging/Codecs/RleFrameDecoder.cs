namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>Adapts the RLE Lossless codec (PS3.5 Annex G) to <see cref="IDicomFrameDecoder"/>.</summary>
/// <remarks>
/// The decoded frame is laid out in the dataset's Planar Configuration (see <see cref="RleCodec"/>), as the
/// same frame would be in Explicit VR Little Endian, and Photometric Interpretation describes its samples unchanged:
/// RLE applies no color transform (PS3.5 G.2).
/// </remarks>
public sealed class RleFrameDecoder : IDicomFrameDecoder
{
    /// <inheritdoc />
    public bool CanDecode(DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        return syntax.Uid == DicomTransferSyntax.RLELossless.Uid;
    }

    /// <inheritdoc />
    public void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination) =>
        RleCodec.Decode(compressedFrame, info, destination);
}
