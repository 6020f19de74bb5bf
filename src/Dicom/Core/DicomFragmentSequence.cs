using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom;

/// <summary>
/// Encapsulated pixel data (PS3.5 §A.4): a Basic Offset Table item followed by fragments, kept as read.
/// </summary>
public sealed class DicomFragmentSequence : DicomItem
{
    /// <summary>Creates encapsulated pixel data.</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, IByteBuffer offsetTable, IEnumerable<IByteBuffer> fragments) : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The Basic Offset Table item's value (may be empty).</summary>
    public IByteBuffer OffsetTable { get; set; }

    /// <summary>The fragments after the offset table.</summary>
    public List<IByteBuffer> Fragments { get; }

    /// <summary>The Basic Offset Table decoded as 32-bit offsets.</summary>
    public uint[] GetBasicOffsets()
    {
        var bytes = OffsetTable.Memory.Span;
        var result = new uint[bytes.Length / 4];
        for (int i = 0; i < result.Length; i++) result[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        return result;
    }
}
