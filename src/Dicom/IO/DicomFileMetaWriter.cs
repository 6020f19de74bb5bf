using System.Buffers.Binary;

namespace EdgeCancer.Dicom.IO;

/// <summary>
/// Encodes the start of a Part 10 file (PS3.10 §7.1): the 128-byte preamble, "DICM" and the File Meta Information
/// group in Explicit VR Little Endian, straight into a span. A receiver that streams each instance to a file writes
/// this before the data set; building a <see cref="DicomDataset"/> and saving it cost several microseconds and a dozen
/// allocations per instance. The bytes equal what <see cref="DicomFile.Save(Stream, DicomWriteOptions?)"/> writes for
/// the same meta elements.
/// </summary>
public static class DicomFileMetaWriter
{
    /// <summary>Longest output: preamble, prefix, group length, version, five UI/SH values of 64 bytes, an AE of 16.</summary>
    public const int MaxLength = 128 + 4 + 12 + 14 + 5 * (8 + 64) + (8 + 16);

    /// <summary>
    /// Writes preamble, prefix and meta with (0002,0001) version 00 01, the given UIDs, <see cref="DicomFile.ImplementationClassUid"/>,
    /// <see cref="DicomFile.ImplementationVersionName"/> and, when not empty, (0002,0016) Source Application Entity Title.
    /// Returns the bytes written, or 0 (nothing written) when a value is not plain printable ASCII within its VR's
    /// maximum length (64 for UI, 16 for AE): such values go through the general writer, which reports them.
    /// </summary>
    public static int TryWrite(Span<byte> destination, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAETitle = null)
    {
        if (destination.Length < MaxLength) throw new ArgumentException($"The destination must hold {MaxLength} bytes.", nameof(destination));
        if (!Fits(sopClassUid, 64) || !Fits(sopInstanceUid, 64) || !Fits(transferSyntaxUid, 64) || !Fits(sourceAETitle ?? "", 16)) return 0;
        destination[..128].Clear();
        "DICM"u8.CopyTo(destination[128..]);
        int at = 132 + 12; // the group length element is written last, when its value is known
        at += WriteVersion(destination[at..]);
        at += WriteShort(destination[at..], 0x0002, "UI"u8, sopClassUid, 0);
        at += WriteShort(destination[at..], 0x0003, "UI"u8, sopInstanceUid, 0);
        at += WriteShort(destination[at..], 0x0010, "UI"u8, transferSyntaxUid, 0);
        at += WriteShort(destination[at..], 0x0012, "UI"u8, DicomFile.ImplementationClassUid, 0);
        at += WriteShort(destination[at..], 0x0013, "SH"u8, DicomFile.ImplementationVersionName, (byte)' ');
        if (!string.IsNullOrEmpty(sourceAETitle)) at += WriteShort(destination[at..], 0x0016, "AE"u8, sourceAETitle, (byte)' ');
        var length = destination[132..];
        WriteTag(length, 0x0000);
        "UL"u8.CopyTo(length[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(length[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(length[8..], (uint)(at - 132 - 12));
        return at;
    }

    // Written as they are: no multi-value delimiter, no leading or trailing space for the general writer to trim.
    private static bool Fits(string value, int maxLength)
    {
        if (value.Length > maxLength) return false;
        if (value.Length > 0 && (value[0] == ' ' || value[^1] == ' ')) return false;
        foreach (char c in value)
            if (c < 0x20 || c > 0x7E || c == '\\') return false;
        return true;
    }

    private static void WriteTag(Span<byte> at, ushort element)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], element);
    }

    // (0002,0001) OB: a long-form header (two reserved bytes, 32-bit length) and the value 00 01.
    private static int WriteVersion(Span<byte> at)
    {
        WriteTag(at, 0x0001);
        "OB"u8.CopyTo(at[4..]);
        at[6] = 0;
        at[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(at[8..], 2);
        at[12] = 0x00;
        at[13] = 0x01;
        return 14;
    }

    // A short-form element (16-bit length) whose value is padded to even length: UI with NUL, SH and AE with a space.
    private static int WriteShort(Span<byte> at, ushort element, ReadOnlySpan<byte> vr, string value, byte pad)
    {
        int length = value.Length + (value.Length & 1);
        WriteTag(at, element);
        vr.CopyTo(at[4..]);
        BinaryPrimitives.WriteUInt16LittleEndian(at[6..], (ushort)length);
        for (int i = 0; i < value.Length; i++) at[8 + i] = (byte)value[i];
        if (length != value.Length) at[8 + value.Length] = pad;
        return 8 + length;
    }
}
