using System.Buffers.Binary;

namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// A lookup table as a Modality LUT or VOI LUT Sequence item holds it (PS3.3 C.11.1.1, C.11.2.1.1): LUT Descriptor
/// (entries, first input value mapped, bits per entry) and LUT Data. Inputs below the first mapped value take the
/// first entry, inputs past the last take the last entry.
/// </summary>
public sealed class DicomLookupTable
{
    private readonly ushort[] _entries;

    /// <summary>Creates a table from its entries.</summary>
    public DicomLookupTable(int firstInputValue, int bitsPerEntry, ushort[] entries, string? explanation = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length == 0) throw new ArgumentException("A lookup table needs at least one entry.", nameof(entries));
        if (bitsPerEntry is < 1 or > 16) throw new ArgumentOutOfRangeException(nameof(bitsPerEntry), bitsPerEntry, "Bits per entry must be 1–16.");
        FirstInputValue = firstInputValue;
        BitsPerEntry = bitsPerEntry;
        _entries = entries;
        Explanation = explanation;
    }

    /// <summary>The input value mapped to the first entry (second value of LUT Descriptor).</summary>
    public int FirstInputValue { get; }
    /// <summary>Bits per entry (third value of LUT Descriptor).</summary>
    public int BitsPerEntry { get; }
    /// <summary>Number of entries.</summary>
    public int EntryCount => _entries.Length;
    /// <summary>LUT Explanation (0028,3003), if any.</summary>
    public string? Explanation { get; }
    /// <summary>The largest value an entry can hold: 2^BitsPerEntry − 1.</summary>
    public int MaxOutput => (1 << BitsPerEntry) - 1;
    /// <summary>The entries.</summary>
    public ReadOnlySpan<ushort> Entries => _entries;

    /// <summary>The entry for input <paramref name="x"/> (rounded to the nearest integer, clamped to the table).</summary>
    public int Lookup(double x)
    {
        double index = Math.Round(x - FirstInputValue, MidpointRounding.AwayFromZero);
        if (index <= 0 || double.IsNaN(index)) return _entries[0];
        if (index >= _entries.Length - 1) return _entries[^1];
        return _entries[(int)index];
    }

    /// <summary>
    /// Reads the LUT Descriptor (0028,3002), LUT Data (0028,3006) and LUT Explanation (0028,3003) of a sequence item.
    /// <paramref name="signedInput"/> says whether the first mapped value is SS (PS3.3 C.11.1.1: it follows the sign of
    /// the values the table is applied to).
    /// </summary>
    public static DicomLookupTable FromItem(DicomDataset item, bool signedInput, string sequenceName)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.GetItem(DicomTags.LUTDescriptor) is not DicomElement descriptor || descriptor.Length < 6)
            throw new DicomDataException($"{sequenceName}: LUT Descriptor (0028,3002) is missing or has fewer than 3 values.");
        var d = descriptor.Buffer.Memory.Span;
        int declared = BinaryPrimitives.ReadUInt16LittleEndian(d);
        ushort firstRaw = BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(d[4..]);
        // C.11.1.1: 0 entries means 2^16.
        int count = declared == 0 ? 65536 : declared;
        int first = signedInput || descriptor.VR == DicomVR.SS ? (short)firstRaw : firstRaw;
        if (bits is < 1 or > 16)
            throw new DicomDataException($"{sequenceName}: LUT Descriptor (0028,3002) gives {bits} bits per entry; 1–16 (normally 8 or 16) are allowed.");

        if (item.GetItem(DicomTags.LUTData) is not DicomElement data || data.Length == 0)
            throw new DicomDataException($"{sequenceName}: LUT Data (0028,3006) is missing or empty.");
        var bytes = data.Buffer.Memory.Span;
        var entries = new ushort[count];
        int mask = (1 << bits) - 1;
        if (bytes.Length >= count * 2)
        {
            for (int i = 0; i < count; i++) entries[i] = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) & mask);
        }
        else if (bits <= 8 && bytes.Length >= count)
        {
            // 8-bit entries packed two per 16-bit word (C.11.1.1.1 allows either form in practice).
            for (int i = 0; i < count; i++) entries[i] = (ushort)(bytes[i] & mask);
        }
        else
        {
            throw new DicomDataException($"{sequenceName}: LUT Data (0028,3006) holds {bytes.Length} bytes but LUT Descriptor (0028,3002) declares {count} entries of {bits} bits.");
        }
        string? explanation = item.TryGetString(DicomTags.LUTExplanation, out var text) && text.Trim().Length > 0 ? text.Trim() : null;
        return new DicomLookupTable(first, bits, entries, explanation);
    }
}
