using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom;

/// <summary>
/// An element whose value is bytes: strings as encoded (with their padding), numbers little-endian. Typed access goes
/// through <see cref="DicomDataset"/>, which knows the character set.
/// </summary>
public sealed class DicomElement : DicomItem
{
    /// <summary>Creates an element over a value buffer.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, IByteBuffer buffer) : base(tag, vr)
    {
        if (vr.Kind == DicomVRKind.Sequence) throw new ArgumentException("Use DicomSequence for SQ.", nameof(vr));
        Buffer = buffer;
    }

    /// <summary>Creates an element over bytes in memory.</summary>
    public DicomElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) : this(tag, vr, new MemoryByteBuffer(bytes)) { }

    /// <summary>The value's bytes.</summary>
    public IByteBuffer Buffer { get; }

    /// <summary>Value length in bytes.</summary>
    public long Length => Buffer.Size;

    /// <summary>Number of values: for strings, backslash-separated parts (0 for an empty value); for binary VRs, length / unit size; 1 for bulk and text VRs with data.</summary>
    public int Count
    {
        get
        {
            if (Buffer.Size == 0) return 0;
            switch (VR.Kind)
            {
                case DicomVRKind.Binary:
                    return (int)(Buffer.Size / VR.UnitSize);
                case DicomVRKind.String:
                    if (!Buffer.IsMemory) return 1;
                    var span = Buffer.Memory.Span;
                    int n = 1;
                    foreach (var b in span) if (b == (byte)'\\') n++;
                    return n;
                default:
                    return 1;
            }
        }
    }
}
