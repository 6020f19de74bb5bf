namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// The Image Pixel Module attributes (PS3.3 C.7.6.3) a codec needs to decode or encode one frame.
/// </summary>
/// <param name="Rows">Rows (0028,0010).</param>
/// <param name="Columns">Columns (0028,0011).</param>
/// <param name="SamplesPerPixel">Samples per Pixel (0028,0002): 1 or 3 (up to 4 for JPEG).</param>
/// <param name="BitsAllocated">Bits Allocated (0028,0100): 8, 16 or 32.</param>
/// <param name="BitsStored">Bits Stored (0028,0101).</param>
/// <param name="IsSigned">Pixel Representation (0028,0103) is 1 (two's complement).</param>
/// <param name="PlanarConfiguration">
/// Planar Configuration (0028,0006) of the native frame: 0 = color-by-pixel (R1G1B1R2…), 1 = color-by-plane
/// (R1R2…G1G2…B1B2…). Ignored when <paramref name="SamplesPerPixel"/> is 1.
/// </param>
public readonly record struct PixelFrameInfo(
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    bool IsSigned,
    int PlanarConfiguration)
{
    /// <summary>Bytes per sample in the native frame (Bits Allocated / 8, rounded up).</summary>
    public int BytesPerSample => (BitsAllocated + 7) / 8;

    /// <summary>Number of pixels in one frame.</summary>
    public long PixelCount => (long)Rows * Columns;

    /// <summary>Length in bytes of one native (uncompressed) frame, without the even-length padding of Pixel Data.</summary>
    public long NativeFrameLength => PixelCount * SamplesPerPixel * BytesPerSample;

    /// <summary>Throws <see cref="DicomCodecException"/> when the description cannot belong to any image.</summary>
    internal void ValidateBasics(string codec)
    {
        if (Rows <= 0 || Columns <= 0)
        {
            throw new DicomCodecException($"{codec}: image size {Rows}×{Columns} is not valid (Rows and Columns must be positive).");
        }

        if (SamplesPerPixel <= 0)
        {
            throw new DicomCodecException($"{codec}: Samples per Pixel {SamplesPerPixel} is not valid.");
        }

        if (BitsStored <= 0 || BitsStored > BitsAllocated)
        {
            throw new DicomCodecException($"{codec}: Bits Stored {BitsStored} does not fit Bits Allocated {BitsAllocated}.");
        }

        if (NativeFrameLength > Array.MaxLength)
        {
            throw new DicomCodecException($"{codec}: a frame of {NativeFrameLength} bytes is larger than supported.");
        }
    }
}
