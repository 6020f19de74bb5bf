namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// Decodes one compressed frame of encapsulated pixel data (PS3.5 §A.4) into native little-endian samples laid out
/// as <see cref="PixelFrameInfo"/> describes (the layout of the same frame in Explicit VR Little Endian).
/// </summary>
public interface IDicomFrameDecoder
{
    /// <summary>True when this decoder handles frames of <paramref name="syntax"/>.</summary>
    bool CanDecode(DicomTransferSyntax syntax);

    /// <summary>
    /// Decodes <paramref name="compressedFrame"/> (all fragments of one frame, concatenated) into
    /// <paramref name="destination"/>, which is <see cref="PixelFrameInfo.NativeFrameLength"/> bytes long.
    /// Throws <see cref="DicomCodecException"/> for corrupt or unsupported data.
    /// </summary>
    void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination);
}
