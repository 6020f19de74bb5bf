using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// Renders frames for display: grayscale through the pipeline of PS3.3 C.11 (stored value → Modality LUT → VOI
/// window or VOI LUT → 8 bits, MONOCHROME1 inverted), color as interleaved 8-bit RGB (YBR converted, planes
/// interleaved).
/// </summary>
/// <remarks>
/// Keeps scratch buffers and the last grayscale lookup table between calls so rendering the frames of a series
/// allocates little; an instance is therefore not thread-safe (use one per thread; <see cref="PixelData"/> itself
/// can be shared).
/// </remarks>
public sealed class DicomImage
{
    private readonly DicomDataset _dataset;
    private readonly DicomCodecRegistry _codecs;
    private IReadOnlyList<VoiWindow>? _presets;
    private IReadOnlyList<DicomLookupTable>? _voiLuts;

    private byte[]? _frame;
    private long[]? _samples;
    private byte[]? _lut;
    private VoiKey? _lutKey;

    /// <summary>Creates a renderer for an opened file.</summary>
    public DicomImage(DicomFile file, DicomCodecRegistry? codecs = null)
        : this(DicomPixelData.Create(file), file.Dataset, codecs) { }

    /// <summary>Creates a renderer for a dataset read in <paramref name="syntax"/>.</summary>
    public DicomImage(DicomDataset dataset, DicomTransferSyntax syntax, DicomCodecRegistry? codecs = null)
        : this(DicomPixelData.Create(dataset, syntax), dataset, codecs) { }

    private DicomImage(DicomPixelData pixelData, DicomDataset dataset, DicomCodecRegistry? codecs)
    {
        PixelData = pixelData;
        _dataset = dataset;
        _codecs = codecs ?? DicomCodecRegistry.Default;
        ModalityLut = pixelData.IsGrayscale ? ModalityLut.FromDataset(dataset, pixelData.IsSigned) : ModalityLut.Identity;
    }

    /// <summary>The pixel module and frame access.</summary>
    public DicomPixelData PixelData { get; }

    /// <summary>Stored values → modality values (identity for color images).</summary>
    public ModalityLut ModalityLut { get; }

    /// <summary>Window presets from Window Center/Width (read on first use; throws <see cref="DicomDataException"/> when inconsistent).</summary>
    public IReadOnlyList<VoiWindow> WindowPresets => _presets ??= VoiWindow.FromDataset(_dataset);

    /// <summary>The tables of the VOI LUT Sequence (0028,3010), if any.</summary>
    public IReadOnlyList<DicomLookupTable> VoiLuts => _voiLuts ??= ReadVoiLuts();

    /// <summary>Modality values (e.g. HU) of a grayscale frame.</summary>
    public double[] GetModalityValues(int frame)
    {
        var values = new double[PixelData.SampleCount];
        GetModalityValues(frame, values);
        return values;
    }

    /// <summary>Writes the modality values of a grayscale frame into <paramref name="destination"/>.</summary>
    public void GetModalityValues(int frame, Span<double> destination)
    {
        RequireGrayscale();
        var samples = ReadSamples(frame);
        if (destination.Length < samples.Length) throw new ArgumentException($"The destination holds {destination.Length} values; a frame has {samples.Length}.", nameof(destination));
        var lut = ModalityLut;
        for (int i = 0; i < samples.Length; i++) destination[i] = lut.Apply(samples[i]);
    }

    /// <summary>
    /// Renders a grayscale frame to Rows × Columns bytes. Without <paramref name="window"/>: the first window preset,
    /// else the first VOI LUT, else the frame's full range of modality values.
    /// </summary>
    public byte[] RenderGray8(int frame, VoiWindow? window = null)
    {
        var result = new byte[PixelData.PixelCount];
        RenderGray8(frame, window, result);
        return result;
    }

    /// <summary>Renders a grayscale frame into <paramref name="destination"/> (Rows × Columns bytes).</summary>
    public void RenderGray8(int frame, VoiWindow? window, Span<byte> destination)
    {
        if (window is { } w) RenderGray(frame, new VoiKey(w, null), destination);
        else if (WindowPresets.Count > 0) RenderGray(frame, new VoiKey(WindowPresets[0], null), destination);
        else if (VoiLuts.Count > 0) RenderGray(frame, new VoiKey(null, VoiLuts[0]), destination);
        else RenderGray(frame, null, destination);
    }

    /// <summary>Renders a grayscale frame through a VOI LUT (its output range scaled to 0–255).</summary>
    public void RenderGray8(int frame, DicomLookupTable voiLut, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(voiLut);
        RenderGray(frame, new VoiKey(null, voiLut), destination);
    }

    /// <summary>Renders a frame as interleaved 8-bit RGB (Rows × Columns × 3 bytes); grayscale frames are rendered with <see cref="RenderGray8(int, VoiWindow?)"/> and replicated.</summary>
    public byte[] RenderRgb24(int frame)
    {
        var result = new byte[PixelData.PixelCount * 3];
        RenderRgb24(frame, result);
        return result;
    }

    /// <summary>Renders a frame as interleaved 8-bit RGB into <paramref name="destination"/>.</summary>
    public void RenderRgb24(int frame, Span<byte> destination)
    {
        var pd = PixelData;
        int pixels = pd.PixelCount;
        if (destination.Length < pixels * 3) throw new ArgumentException($"The destination holds {destination.Length} bytes; an RGB frame needs {pixels * 3}.", nameof(destination));
        if (pd.IsGrayscale)
        {
            RenderGray8(frame, (VoiWindow?)null, destination[..pixels]);
            // Expand in place from the end so no byte is overwritten before it is read.
            for (int i = pixels - 1; i >= 0; i--)
            {
                byte g = destination[i];
                destination[i * 3] = g; destination[i * 3 + 1] = g; destination[i * 3 + 2] = g;
            }
            return;
        }

        string pi = pd.PhotometricInterpretation;
        bool ybr = pi is Photometric.YbrFull or Photometric.YbrFull422;
        if (!ybr && pi != Photometric.Rgb)
            throw new DicomCodecException($"Photometric Interpretation (0028,0004) {pi} cannot be rendered as RGB by this toolkit (RGB, YBR_FULL, YBR_FULL_422 and MONOCHROME1/2 can).");
        var samples = ReadSamples(frame);
        int bits = pd.BitsStored;
        long max = (1L << bits) - 1;
        double half = 1L << (bits - 1);
        for (int p = 0; p < pixels; p++)
        {
            double a = samples[p * 3], b = samples[p * 3 + 1], c = samples[p * 3 + 2];
            if (ybr)
            {
                // Inverse of the YBR_FULL equations of PS3.3 C.7.6.3.1.2 (CCIR 601 coefficients 0.299/0.587/0.114,
                // chroma centred on half the range).
                double y = a, cb = b - half, cr = c - half;
                a = y + 1.402 * cr;
                b = y - 0.344136286 * cb - 0.714136286 * cr;
                c = y + 1.772 * cb;
            }
            destination[p * 3] = To8Bits(a, max, bits);
            destination[p * 3 + 1] = To8Bits(b, max, bits);
            destination[p * 3 + 2] = To8Bits(c, max, bits);
        }
    }

    private static byte To8Bits(double value, long max, int bits)
    {
        long v = (long)Math.Floor(value + 0.5);
        if (v < 0) v = 0; else if (v > max) v = max;
        if (bits == 8) return (byte)v;
        return bits > 8 ? (byte)(v >> (bits - 8)) : (byte)(v * 255 / max);
    }

    private void RenderGray(int frame, VoiKey? key, Span<byte> destination)
    {
        RequireGrayscale();
        var pd = PixelData;
        int pixels = pd.PixelCount;
        if (destination.Length < pixels) throw new ArgumentException($"The destination holds {destination.Length} bytes; a frame needs {pixels}.", nameof(destination));
        destination = destination[..pixels];

        if (key is null)
        {
            // No window given or in the dataset: map the frame's own range of modality values.
            var samples = ReadSamples(frame);
            long min = long.MaxValue, max = long.MinValue;
            foreach (long s in samples) { if (s < min) min = s; if (s > max) max = s; }
            double m1 = ModalityLut.Apply(min), m2 = ModalityLut.Apply(max);
            key = new VoiKey(VoiWindow.FromRange(Math.Min(m1, m2), Math.Max(m1, m2)), null);
        }
        var voi = key.Value;

        if (pd.BitsAllocated is 8 or 16)
        {
            // One table entry per possible raw sample: masking, sign extension, Modality LUT, VOI and MONOCHROME1
            // inversion all happen once per distinct value instead of once per pixel.
            var lut = GetRawLut(voi);
            var frameBytes = ReadFrame(frame);
            if (pd.BitsAllocated == 8)
            {
                for (int i = 0; i < pixels; i++) destination[i] = lut[frameBytes[i]];
            }
            else
            {
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(frameBytes.AsSpan(0, pixels * 2));
                if (BitConverter.IsLittleEndian)
                    for (int i = 0; i < pixels; i++) destination[i] = lut[words[i]];
                else
                    for (int i = 0; i < pixels; i++) destination[i] = lut[System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(words[i])];
            }
            return;
        }

        var values = ReadSamples(frame);
        bool invert = pd.IsMonochrome1;
        for (int i = 0; i < pixels; i++) destination[i] = Display(voi, ModalityLut.Apply(values[i]), invert);
    }

    private byte[] GetRawLut(VoiKey voi)
    {
        if (_lut is not null && _lutKey == voi) return _lut;
        var pd = PixelData;
        int size = 1 << pd.BitsAllocated;
        var lut = _lut is { Length: var n } && n == size ? _lut : new byte[size];
        var layout = pd.Layout with { PixelCount = 1, SamplesPerPixel = 1, PlanarConfiguration = 0, ChromaSubsampled = false };
        Span<byte> raw = stackalloc byte[2];
        Span<int> stored = stackalloc int[1];
        bool invert = pd.IsMonochrome1;
        for (int r = 0; r < size; r++)
        {
            raw[0] = (byte)r;
            raw[1] = (byte)(r >> 8);
            PixelSampleReader.Read(raw, layout, stored);
            lut[r] = Display(voi, ModalityLut.Apply(stored[0]), invert);
        }
        _lut = lut;
        _lutKey = voi;
        return lut;
    }

    private static byte Display(VoiKey voi, double modalityValue, bool invert)
    {
        double y = voi.Table is { } table
            ? table.Lookup(modalityValue) * 255.0 / table.MaxOutput
            : voi.Window!.Value.Apply(modalityValue);
        int v = (int)Math.Floor(y + 0.5);
        if (v < 0) v = 0; else if (v > 255) v = 255;
        // PS3.3 C.7.6.3.1.2: MONOCHROME1 shows the minimum as white.
        return (byte)(invert ? 255 - v : v);
    }

    private byte[] ReadFrame(int frame)
    {
        var pd = PixelData;
        int size = checked((int)(pd.IsEncapsulated ? pd.DecodedFrameSize : pd.FrameSize));
        if (_frame is null || _frame.Length != size) _frame = GC.AllocateUninitializedArray<byte>(size);
        pd.DecodeFrame(frame, _codecs, _frame);
        return _frame;
    }

    private ReadOnlySpan<long> ReadSamples(int frame)
    {
        var pd = PixelData;
        var bytes = ReadFrame(frame);
        if (_samples is null || _samples.Length != pd.SampleCount) _samples = GC.AllocateUninitializedArray<long>(pd.SampleCount);
        PixelSampleReader.Read(bytes, pd.Layout, _samples.AsSpan());
        return _samples;
    }

    private void RequireGrayscale()
    {
        if (!PixelData.IsGrayscale)
            throw new InvalidOperationException($"Photometric Interpretation (0028,0004) is {PixelData.PhotometricInterpretation}, not MONOCHROME1/2; use RenderRgb24.");
    }

    private IReadOnlyList<DicomLookupTable> ReadVoiLuts()
    {
        if (!_dataset.TryGetSequence(DicomTags.VOILUTSequence, out var sequence)) return [];
        // The VOI LUT input is the Modality LUT output; its first mapped value is signed when that can be negative.
        bool signed = PixelData.IsSigned || ModalityLut.Apply(0) < 0 || ModalityLut.Slope < 0;
        return [.. sequence.Items.Select(item => DicomLookupTable.FromItem(item, signed, "VOI LUT Sequence (0028,3010)"))];
    }

    private readonly record struct VoiKey(VoiWindow? Window, DicomLookupTable? Table);
}
