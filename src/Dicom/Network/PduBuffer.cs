using System.Buffers.Binary;
using System.Text;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// A growable big-endian byte buffer with back-patched length fields, used to encode the variable-length PDUs.
/// All PDU integers are big-endian (PS3.8 §9.3.1).
/// </summary>
internal sealed class PduBuffer
{
    private byte[] _bytes = new byte[512];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, Length);

    private Span<byte> Take(int count)
    {
        if (Length + count > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + count));
        var span = _bytes.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void Byte(byte value) => Take(1)[0] = value;

    public void UInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);

    public void Zeros(int count) => Take(count).Clear();

    public void Bytes(ReadOnlySpan<byte> value) => value.CopyTo(Take(value.Length));

    /// <summary>ISO 646 text (UIDs, AE titles, version names); anything outside ASCII becomes '?'.</summary>
    public void Ascii(string value) => Encoding.ASCII.GetBytes(value, Take(value.Length));

    /// <summary>An AE title field: 16 bytes, padded with spaces (PS3.8 Table 9-11, bytes 11-26).</summary>
    public void AETitle(string value)
    {
        if (value.Length > 16) throw new ArgumentException($"AE title '{value}' is longer than 16 characters (PS3.8 Table 9-11).", nameof(value));
        var field = Take(16);
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value, field);
    }

    /// <summary>Writes an item header with a 2-byte length to patch later; returns the patch position.</summary>
    public int BeginItem(byte itemType, byte secondByte = 0)
    {
        Byte(itemType);
        Byte(secondByte);
        int at = Length;
        UInt16(0);
        return at;
    }

    public void EndItem(int lengthAt)
    {
        int length = Length - lengthAt - 2;
        if (length > ushort.MaxValue) throw new ArgumentException($"An item of {length} bytes does not fit its 2-byte item-length field (PS3.8 §9.3).");
        BinaryPrimitives.WriteUInt16BigEndian(_bytes.AsSpan(lengthAt, 2), (ushort)length);
    }

    /// <summary>Writes a 2-byte length followed by ASCII text (the sub-item UID fields of PS3.7 Annex D.3.3).</summary>
    public void LengthPrefixedAscii(string value)
    {
        UInt16(checked((ushort)value.Length));
        Ascii(value);
    }

    public void PatchUInt16(int at, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_bytes.AsSpan(at, 2), value);

    public void PatchUInt32(int at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(_bytes.AsSpan(at, 4), value);
}
