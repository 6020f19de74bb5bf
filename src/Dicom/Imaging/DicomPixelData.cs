using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// The Image Pixel Module (PS3.3 C.7.6.3) of a dataset and access to its frames: native frames are read slice by
/// slice (a file-backed Pixel Data value is never loaded whole), encapsulated frames are found by the rules of
/// PS3.5 A.4 and decoded through a <see cref="DicomCodecRegistry"/>.
/// </summary>
/// <remarks>Immutable after creation except for a lazily built frame index; safe to share between threads.</remarks>
public sealed class DicomPixelData
{
    private readonly DicomItem _pixelItem;
    private readonly DicomDataset _dataset;
    private EncapsulatedFrameIndex? _frameIndex;

    private DicomPixelData(DicomDataset dataset, DicomTransferSyntax syntax, DicomItem pixelItem)
    {
        _dataset = dataset;
        _pixelItem = pixelItem;
        TransferSyntax = syntax;
    }

    /// <summary>The transfer syntax the dataset was read in (decides the decoder of encapsulated frames).</summary>
    public DicomTransferSyntax TransferSyntax { get; }
    /// <summary>Rows (0028,0010).</summary>
    public int Rows { get; private init; }
    /// <summary>Columns (0028,0011).</summary>
    public int Columns { get; private init; }
    /// <summary>Samples per Pixel (0028,0002); 1 when absent.</summary>
    public int SamplesPerPixel { get; private init; }
    /// <summary>Bits Allocated (0028,0100): 1, 8, 16 or 32.</summary>
    public int BitsAllocated { get; private init; }
    /// <summary>Bits Stored (0028,0101); Bits Allocated when absent.</summary>
    public int BitsStored { get; private init; }
    /// <summary>High Bit (0028,0102); Bits Stored − 1 when absent.</summary>
    public int HighBit { get; private init; }
    /// <summary>Pixel Representation (0028,0103): 0 unsigned, 1 two's complement; 0 when absent.</summary>
    public int PixelRepresentation { get; private init; }
    /// <summary>Photometric Interpretation (0028,0004), e.g. MONOCHROME2, RGB, YBR_FULL_422.</summary>
    public string PhotometricInterpretation { get; private init; } = "";
    /// <summary>Planar Configuration (0028,0006): 0 color-by-pixel, 1 color-by-plane; 0 when absent.</summary>
    public int PlanarConfiguration { get; private init; }
    /// <summary>Number of Frames (0028,0008); 1 when absent.</summary>
    public int NumberOfFrames { get; private init; }

    /// <summary>True when stored values are two's complement.</summary>
    public bool IsSigned => PixelRepresentation == 1;
    /// <summary>Number of frames in Pixel Data.</summary>
    public int FrameCount => NumberOfFrames;
    /// <summary>True when Pixel Data is encapsulated (compressed fragments, PS3.5 A.4).</summary>
    public bool IsEncapsulated => _pixelItem is DicomFragmentSequence;
    /// <summary>True for MONOCHROME1 and MONOCHROME2.</summary>
    public bool IsGrayscale => PhotometricInterpretation is Photometric.Monochrome1 or Photometric.Monochrome2;
    /// <summary>True for MONOCHROME1 (minimum value displayed white; inverted at display time).</summary>
    public bool IsMonochrome1 => PhotometricInterpretation == Photometric.Monochrome1;
    /// <summary>Pixels per frame (Rows × Columns).</summary>
    public int PixelCount => Rows * Columns;

    /// <summary>
    /// True when native frames hold YBR_FULL_422 with horizontally subsampled chroma (PS3.3 C.7.6.3.1.2: Y1 Y2 Cb Cr
    /// per pair of pixels). Decoded frames of compressed data are never subsampled.
    /// </summary>
    public bool IsChromaSubsampled => !IsEncapsulated && PhotometricInterpretation == Photometric.YbrFull422;

    /// <summary>The description a codec needs for one frame.</summary>
    public PixelFrameInfo FrameInfo => new(Rows, Columns, SamplesPerPixel, BitsAllocated, BitsStored, IsSigned, PlanarConfiguration);

    /// <summary>
    /// Bytes of one native frame as stored in Pixel Data (1-bit data: packed, rounded up to whole bytes;
    /// YBR_FULL_422: two thirds of a full frame).
    /// </summary>
    public long FrameSize => IsChromaSubsampled ? (long)PixelCount * 2 * (BitsAllocated / 8) : DecodedFrameSize;

    /// <summary>Bytes of one frame as <see cref="DecodeFrame(int, DicomCodecRegistry)"/> returns it.</summary>
    public long DecodedFrameSize => BitsAllocated == 1
        ? ((long)PixelCount * SamplesPerPixel + 7) / 8
        : (long)PixelCount * SamplesPerPixel * (BitsAllocated / 8);

    /// <summary>Samples in one decoded frame (Rows × Columns × Samples per Pixel).</summary>
    public int SampleCount => PixelCount * SamplesPerPixel;

    /// <summary>Reads the Image Pixel Module from an opened file.</summary>
    public static DicomPixelData Create(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.IsHeaderOnly) throw new DicomDataException("the file was opened header-only; Pixel Data (7FE0,0010) was not read. Open it with DicomFile.Open.");
        return Create(file.Dataset, file.TransferSyntax);
    }

    /// <summary>
    /// Reads the Image Pixel Module from <paramref name="dataset"/>. Throws <see cref="DicomDataException"/> naming
    /// the attribute when a required one is missing or values contradict each other.
    /// </summary>
    public static DicomPixelData Create(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        var pixelItem = dataset.GetItem(DicomTags.PixelData)
            ?? throw new DicomDataException("Pixel Data (7FE0,0010) is not present in the dataset.");
        if (pixelItem is DicomSequence)
            throw new DicomDataException("Pixel Data (7FE0,0010) is a sequence, not pixel values.");

        int rows = ReadInt(dataset, DicomTags.Rows, "Rows", null);
        int columns = ReadInt(dataset, DicomTags.Columns, "Columns", null);
        int bitsAllocated = ReadInt(dataset, DicomTags.BitsAllocated, "Bits Allocated", null);
        int samples = ReadInt(dataset, DicomTags.SamplesPerPixel, "Samples per Pixel", 1);
        int bitsStored = ReadInt(dataset, DicomTags.BitsStored, "Bits Stored", bitsAllocated);
        int highBit = ReadInt(dataset, DicomTags.HighBit, "High Bit", bitsStored - 1);
        int representation = ReadInt(dataset, DicomTags.PixelRepresentation, "Pixel Representation", 0);
        int planar = ReadInt(dataset, DicomTags.PlanarConfiguration, "Planar Configuration", 0);
        int frames = ReadInt(dataset, DicomTags.NumberOfFrames, "Number of Frames", 1);
        string photometric = dataset.TryGetString(DicomTags.PhotometricInterpretation, out var pi) ? pi.Trim() : "";
        if (photometric.Length == 0)
        {
            photometric = samples == 1 ? Photometric.Monochrome2
                : throw new DicomDataException($"Photometric Interpretation (0028,0004) is missing and Samples per Pixel is {samples}; the color model cannot be guessed.");
        }

        if (rows <= 0 || rows > ushort.MaxValue) throw Invalid("Rows (0028,0010)", rows, "must be 1–65535");
        if (columns <= 0 || columns > ushort.MaxValue) throw Invalid("Columns (0028,0011)", columns, "must be 1–65535");
        if (samples is not (1 or 3 or 4)) throw Invalid("Samples per Pixel (0028,0002)", samples, "must be 1, 3 or 4");
        if (bitsAllocated is not (1 or 8 or 16 or 32)) throw Invalid("Bits Allocated (0028,0100)", bitsAllocated, "this toolkit reads 1, 8, 16 or 32");
        if (bitsStored < 1 || bitsStored > bitsAllocated) throw Invalid("Bits Stored (0028,0101)", bitsStored, $"must be 1–{bitsAllocated} (Bits Allocated)");
        if (highBit < bitsStored - 1 || highBit >= bitsAllocated)
            throw Invalid("High Bit (0028,0102)", highBit, $"must be {bitsStored - 1}–{bitsAllocated - 1} for Bits Stored {bitsStored} in Bits Allocated {bitsAllocated}");
        if (representation is not (0 or 1)) throw Invalid("Pixel Representation (0028,0103)", representation, "must be 0 or 1");
        if (samples > 1 && planar is not (0 or 1)) throw Invalid("Planar Configuration (0028,0006)", planar, "must be 0 or 1");
        if (samples == 1) planar = 0;
        if (frames < 1) throw Invalid("Number of Frames (0028,0008)", frames, "must be at least 1");
        if (bitsAllocated == 1 && samples != 1) throw Invalid("Samples per Pixel (0028,0002)", samples, "must be 1 when Bits Allocated is 1");
        bool isMono = photometric is Photometric.Monochrome1 or Photometric.Monochrome2;
        if (isMono && samples != 1)
            throw new DicomDataException($"Photometric Interpretation (0028,0004) is {photometric} but Samples per Pixel (0028,0002) is {samples}; it must be 1.");
        if (photometric is Photometric.Rgb or Photometric.YbrFull or Photometric.YbrFull422 && samples != 3)
            throw new DicomDataException($"Photometric Interpretation (0028,0004) is {photometric} but Samples per Pixel (0028,0002) is {samples}; it must be 3.");
        if (photometric == Photometric.YbrFull422 && pixelItem is DicomElement)
        {
            // PS3.3 C.7.6.3.1.2: horizontally subsampled pairs, stored color-by-pixel.
            if (planar != 0) throw Invalid("Planar Configuration (0028,0006)", planar, "must be 0 for YBR_FULL_422");
            if (columns % 2 != 0) throw Invalid("Columns (0028,0011)", columns, "must be even for YBR_FULL_422");
            if (bitsAllocated < 8) throw Invalid("Bits Allocated (0028,0100)", bitsAllocated, "must be at least 8 for YBR_FULL_422");
        }
        if ((long)rows * columns * samples * Math.Max(bitsAllocated / 8, 1) > Array.MaxLength)
            throw new DicomDataException($"a frame of {rows}×{columns}×{samples} samples of {bitsAllocated} bits is larger than this toolkit supports.");

        return new DicomPixelData(dataset, syntax, pixelItem)
        {
            Rows = rows,
            Columns = columns,
            SamplesPerPixel = samples,
            BitsAllocated = bitsAllocated,
            BitsStored = bitsStored,
            HighBit = highBit,
            PixelRepresentation = representation,
            PhotometricInterpretation = photometric,
            PlanarConfiguration = planar,
            NumberOfFrames = frames,
        };
    }

    /// <summary>
    /// The bytes of frame <paramref name="frame"/> (0-based) as stored: a native frame (1-bit data re-aligned so the
    /// frame's first pixel is bit 0 of byte 0), or the compressed bitstream of an encapsulated frame (its fragments
    /// concatenated).
    /// </summary>
    public byte[] GetFrameBytes(int frame)
    {
        if (IsEncapsulated) return GetCompressedFrame(frame);
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)FrameSize));
        CopyNativeFrame(frame, bytes);
        return bytes;
    }

    /// <summary>Copies native frame <paramref name="frame"/> into <paramref name="destination"/> (at least <see cref="FrameSize"/> bytes), reading only that frame.</summary>
    public void CopyNativeFrame(int frame, Span<byte> destination)
    {
        CheckFrame(frame);
        if (_pixelItem is not DicomElement element)
            throw new InvalidOperationException("Pixel Data is encapsulated; use GetFrameBytes or DecodeFrame.");
        long size = FrameSize;
        if (destination.Length < size) throw new ArgumentException($"The destination holds {destination.Length} bytes; a frame needs {size}.", nameof(destination));
        destination = destination[..(int)size];
        var buffer = element.Buffer;

        if (BitsAllocated == 1)
        {
            // PS3.5 8.1.1 / D.2: 1-bit frames follow each other without padding to a byte boundary.
            long firstBit = (long)frame * PixelCount;
            long firstByte = firstBit >> 3;
            int shift = (int)(firstBit & 7);
            long needed = (firstBit + PixelCount + 7) / 8 - firstByte;
            CheckLength(buffer, frame, firstByte, needed);
            if (shift == 0)
            {
                buffer.CopyTo(firstByte, destination);
            }
            else
            {
                Span<byte> tmp = needed <= 4096 ? stackalloc byte[(int)needed] : new byte[needed];
                buffer.CopyTo(firstByte, tmp);
                for (int i = 0; i < destination.Length; i++)
                {
                    int next = i + 1 < tmp.Length ? tmp[i + 1] : 0;
                    destination[i] = (byte)((tmp[i] >> shift) | (next << (8 - shift)));
                }
            }
            // Bits past the frame's last pixel belong to the next frame (or padding): clear them.
            int tail = PixelCount % 8;
            if (tail != 0) destination[^1] &= (byte)((1 << tail) - 1);
            return;
        }

        long offset = frame * size;
        CheckLength(buffer, frame, offset, size);
        buffer.CopyTo(offset, destination);
        if (TransferSyntax.IsBigEndian) ToLittleEndianCells(destination, element.VR);
    }

    /// <summary>
    /// Makes a native frame read from a big-endian stream little-endian per pixel cell of Bits Allocated.
    /// </summary>
    /// <remarks>
    /// The data layer swaps a value by the unit of its VR (PS3.5 §7.3: OW as 16-bit words, OB and UN not at all) and
    /// must keep doing so: that is what makes an OW value the same words in every transfer syntax and lets the
    /// writer restore the original bytes. But in a big-endian stream each pixel cell of Bits Allocated bits is one
    /// big-endian number (PS3.5 §8.1.1: Pixel Data is a stream of pixel cells of Bits Allocated bits, in the byte
    /// ordering of the transfer syntax), and Bits Allocated is a property of the Image Pixel Module, unknown to the element. So when the
    /// VR's swap unit differs from the cell, this layer finishes the job: 32-bit cells in OW (e.g. RT Dose in
    /// Explicit VR Big Endian) arrive as two little-endian words in the wrong order; 16- or 32-bit cells in OB
    /// arrive unswapped. Undo the VR's swap, then swap by cell. pydicom reads such files the same way (its
    /// rtdose_expb.dcm parity test covers the OW case).
    /// </remarks>
    private void ToLittleEndianCells(Span<byte> frame, DicomVR vr)
    {
        int cell = BitsAllocated / 8;
        int unit = DicomReader.SwapUnit(vr);
        if (cell <= 1 || unit == cell) return;
        DicomReader.SwapInPlace(frame, unit);
        DicomReader.SwapInPlace(frame, cell);
    }

    /// <summary>The compressed bitstream of encapsulated frame <paramref name="frame"/>: its fragments concatenated.</summary>
    public byte[] GetCompressedFrame(int frame)
    {
        CheckFrame(frame);
        if (_pixelItem is not DicomFragmentSequence fragments)
            throw new InvalidOperationException("Pixel Data is native, not encapsulated; use GetFrameBytes.");
        var index = _frameIndex ??= EncapsulatedFrameIndex.Build(fragments, _dataset, FrameCount, TransferSyntax);
        return index.Read(fragments, frame);
    }

    /// <summary>Frame <paramref name="frame"/> as native little-endian bytes (<see cref="DecodedFrameSize"/> long).</summary>
    public byte[] DecodeFrame(int frame, DicomCodecRegistry registry)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)(IsEncapsulated ? DecodedFrameSize : FrameSize)));
        DecodeFrame(frame, registry, bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes frame <paramref name="frame"/> into <paramref name="destination"/>. Native frames are copied; an
    /// encapsulated frame whose transfer syntax has no decoder in <paramref name="registry"/> throws
    /// <see cref="DicomCodecException"/> with a message like "no decoder for JPEG 2000 Image Compression
    /// (1.2.840.10008.1.2.4.91)".
    /// </summary>
    public void DecodeFrame(int frame, DicomCodecRegistry registry, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!IsEncapsulated)
        {
            CopyNativeFrame(frame, destination);
            return;
        }
        CheckFrame(frame);
        var decoder = registry.GetDecoder(TransferSyntax);
        long size = DecodedFrameSize;
        if (destination.Length < size) throw new ArgumentException($"The destination holds {destination.Length} bytes; a frame needs {size}.", nameof(destination));
        decoder.Decode(GetCompressedFrame(frame), FrameInfo, destination[..(int)size]);
    }

    /// <summary>True when frames can be turned into native bytes with <paramref name="registry"/>.</summary>
    public bool CanDecode(DicomCodecRegistry registry) => !IsEncapsulated || registry.TryGetDecoder(TransferSyntax, out _);

    /// <summary>
    /// The stored values of frame <paramref name="frame"/>: Bits Stored bits at High Bit, masked and, when
    /// Pixel Representation is 1, sign-extended (PS3.5 8.1.1, PS3.3 C.7.6.3.1). Color samples are returned
    /// color-by-pixel (planar data interleaved, YBR_FULL_422 pairs expanded), Rows × Columns × Samples values.
    /// </summary>
    public int[] GetStoredValues(int frame, DicomCodecRegistry? registry = null)
    {
        var values = new int[SampleCount];
        GetStoredValues(frame, values, registry);
        return values;
    }

    /// <summary>Writes the stored values of a frame into <paramref name="destination"/> (see <see cref="GetStoredValues(int, DicomCodecRegistry?)"/>); 32-bit unsigned values above <see cref="int.MaxValue"/> throw — use the <see cref="long"/> overload.</summary>
    public void GetStoredValues(int frame, Span<int> destination, DicomCodecRegistry? registry = null) =>
        ReadSamples(frame, destination, registry);

    /// <summary>Writes the stored values of a frame into <paramref name="destination"/> as 64-bit integers (any Bits Stored up to 32, signed or not).</summary>
    public void GetStoredValues(int frame, Span<long> destination, DicomCodecRegistry? registry = null) =>
        ReadSamples(frame, destination, registry);

    private void ReadSamples<T>(int frame, Span<T> destination, DicomCodecRegistry? registry) where T : struct, System.Numerics.IBinaryInteger<T>
    {
        if (destination.Length < SampleCount) throw new ArgumentException($"The destination holds {destination.Length} values; a frame has {SampleCount}.", nameof(destination));
        var bytes = DecodeFrame(frame, registry ?? DicomCodecRegistry.Default);
        PixelSampleReader.Read(bytes, Layout, destination[..SampleCount]);
    }

    internal PixelSampleReader.SampleLayout Layout =>
        new(PixelCount, SamplesPerPixel, BitsAllocated, BitsStored, HighBit, IsSigned, PlanarConfiguration, IsChromaSubsampled);

    /// <summary>Smallest and largest stored value Bits Stored and Pixel Representation allow.</summary>
    public (long Min, long Max) StoredValueRange => IsSigned
        ? (-(1L << (BitsStored - 1)), (1L << (BitsStored - 1)) - 1)
        : (0, (1L << BitsStored) - 1);

    private void CheckFrame(int frame)
    {
        if ((uint)frame >= (uint)FrameCount)
            throw new ArgumentOutOfRangeException(nameof(frame), frame, $"The image has {FrameCount} frame(s); frames are numbered from 0.");
    }

    private void CheckLength(IByteBuffer buffer, int frame, long offset, long size)
    {
        if (offset + size > buffer.Size)
            throw new DicomDataException(
                $"Pixel Data (7FE0,0010) holds {buffer.Size} bytes but frame {frame} of {FrameCount} needs bytes {offset}–{offset + size - 1} " +
                $"({Rows} Rows × {Columns} Columns × {SamplesPerPixel} Samples per Pixel × {BitsAllocated} Bits Allocated); the Number of Frames or the image size is wrong or the data is truncated.");
    }

    private static int ReadInt(DicomDataset dataset, DicomTag tag, string name, int? defaultValue)
    {
        if (dataset.GetItem(tag) is not DicomElement element || element.Length == 0)
            return defaultValue ?? throw new DicomDataException($"{name} {tag} is missing or empty; it is required to read Pixel Data.");
        try
        {
            var values = dataset.GetValues<int>(tag);
            if (values.Length == 0)
                return defaultValue ?? throw new DicomDataException($"{name} {tag} is empty; it is required to read Pixel Data.");
            return values[0];
        }
        catch (Exception ex) when (ex is DicomDataException or FormatException or OverflowException or InvalidCastException)
        {
            throw new DicomDataException($"{name} {tag} has a value that is not a valid integer ({ex.Message}).", ex);
        }
    }

    private static DicomDataException Invalid(string attribute, int value, string rule) =>
        new($"{attribute} is {value}; it {rule}.");
}
