using System.Buffers.Binary;
using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom.IO;

/// <summary>
/// Writes datasets in Implicit VR LE, Explicit VR LE or Explicit VR BE (PS3.5 §7). Values are streamed from their
/// buffers (file-backed values are copied in chunks), lengths are even, group lengths are written only for groups
/// 0000 and 0002 (other group length elements are dropped, PS3.5 §7.2).
/// </summary>
public sealed class DicomWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly Stream _stream;
    private readonly CountingStream? _counter;
    private readonly Action<IByteBuffer, long>? _valueWritten;
    private readonly DicomTransferSyntax _syntax;
    private readonly DicomWriteOptions _options;
    private readonly Dictionary<DicomDataset, long> _sizes = new(ReferenceEqualityComparer.Instance);
    private readonly byte[] _header = new byte[12];

    /// <summary>Creates a writer of datasets in <paramref name="syntax"/> (deflate must be applied by the caller, see <see cref="DicomFile"/>).</summary>
    public DicomWriter(Stream stream, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        _stream = stream;
        _syntax = syntax;
        _options = options ?? DicomWriteOptions.Default;
    }

    /// <summary>
    /// Creates a writer that reports, for each value written unswapped, the buffer and the offset of its first byte
    /// (<paramref name="baseOffset"/> plus the bytes this writer wrote before it); used to re-point file-backed values.
    /// </summary>
    internal DicomWriter(Stream stream, DicomTransferSyntax syntax, DicomWriteOptions? options, long baseOffset, Action<IByteBuffer, long> valueWritten)
        : this(new CountingStream(stream, baseOffset), syntax, options)
    {
        _counter = (CountingStream)_stream;
        _valueWritten = valueWritten;
    }

    /// <summary>Writes all items of <paramref name="dataset"/>.</summary>
    public void Write(DicomDataset dataset)
    {
        foreach (var item in dataset) WriteItem(item, _syntax.IsExplicitVR, _syntax.IsBigEndian);
    }

    /// <summary>The encoded length of <paramref name="dataset"/> in this writer's transfer syntax.</summary>
    public long Measure(DicomDataset dataset) => SizeOfDataset(dataset, _syntax.IsExplicitVR);

    private static bool Skip(DicomItem item) => item.Tag.Element == 0x0000 && item.Tag.Group != 0x0000 && item.Tag.Group != 0x0002;

    private bool Undefined(DicomSequence sq) => _options.SequenceLengths switch
    {
        DicomSequenceLengthMode.Undefined => true,
        DicomSequenceLengthMode.Defined => false,
        _ => sq.HadUndefinedLength,
    };

    private void WriteItem(DicomItem item, bool explicitVR, bool big)
    {
        if (Skip(item)) return;
        switch (item)
        {
            case DicomElement e:
                WriteElement(e, explicitVR, big);
                break;
            case DicomSequence sq:
                bool undefined = Undefined(sq);
                WriteHeader(sq.Tag, DicomVR.SQ, undefined ? UndefinedLength : checked((uint)SizeOfSequenceContent(sq, explicitVR)), explicitVR, big);
                foreach (var child in sq.Items)
                {
                    WriteTag(DicomTag.Item, undefined ? UndefinedLength : checked((uint)SizeOfDataset(child, explicitVR)), big);
                    foreach (var ci in child) WriteItem(ci, explicitVR, big);
                    if (undefined) WriteTag(DicomTag.ItemDelimitationItem, 0, big);
                }
                if (undefined) WriteTag(DicomTag.SequenceDelimitationItem, 0, big);
                break;
            case DicomFragmentSequence f:
                WriteHeader(f.Tag, f.VR, UndefinedLength, explicitVR, big);
                WriteTag(DicomTag.Item, checked((uint)f.OffsetTable.Size), big);
                Report(f.OffsetTable);
                f.OffsetTable.WriteTo(_stream);
                foreach (var frag in f.Fragments)
                {
                    WriteTag(DicomTag.Item, checked((uint)(frag.Size + (frag.Size & 1))), big);
                    Report(frag);
                    frag.WriteTo(_stream);
                    if ((frag.Size & 1) == 1) _stream.WriteByte(0);
                }
                WriteTag(DicomTag.SequenceDelimitationItem, 0, big);
                break;
        }
    }

    private void WriteElement(DicomElement e, bool explicitVR, bool big)
    {
        long size = e.Buffer.Size;
        bool pad = (size & 1) == 1;
        long written = size + (pad ? 1 : 0);
        var vr = e.VR;
        // A value too long for a 16-bit length field is written as UN (PS3.5 §6.2.2 allows any value as UN).
        if (explicitVR && !vr.HasLongLength && written > 0xFFFF) vr = DicomVR.UN;
        WriteHeader(e.Tag, vr, checked((uint)written), explicitVR, big);
        int unit = big ? DicomReader.SwapUnit(e.VR) : 1;
        if (unit > 1)
        {
            var copy = e.Buffer.Memory.ToArray();
            DicomReader.SwapInPlace(copy, unit);
            _stream.Write(copy);
        }
        else
        {
            Report(e.Buffer);
            e.Buffer.WriteTo(_stream);
        }
        if (pad) _stream.WriteByte(e.VR.PaddingByte);
    }

    private void Report(IByteBuffer buffer)
    {
        if (_valueWritten is not null) _valueWritten(buffer, _counter!.Offset);
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length, bool explicitVR, bool big)
    {
        var h = _header.AsSpan();
        WriteU16(h, tag.Group, big);
        WriteU16(h[2..], tag.Element, big);
        if (!explicitVR)
        {
            WriteU32(h[4..], length, big);
            _stream.Write(h[..8]);
            return;
        }
        h[4] = (byte)(vr.Code16 >> 8);
        h[5] = (byte)vr.Code16;
        if (vr.HasLongLength)
        {
            h[6] = 0; h[7] = 0;
            WriteU32(h[8..], length, big);
            _stream.Write(h[..12]);
        }
        else
        {
            WriteU16(h[6..], (ushort)length, big);
            _stream.Write(h[..8]);
        }
    }

    private void WriteTag(DicomTag tag, uint length, bool big)
    {
        var h = _header.AsSpan();
        WriteU16(h, tag.Group, big);
        WriteU16(h[2..], tag.Element, big);
        WriteU32(h[4..], length, big);
        _stream.Write(h[..8]);
    }

    private static void WriteU16(Span<byte> s, ushort v, bool big)
    {
        if (big) BinaryPrimitives.WriteUInt16BigEndian(s, v); else BinaryPrimitives.WriteUInt16LittleEndian(s, v);
    }

    private static void WriteU32(Span<byte> s, uint v, bool big)
    {
        if (big) BinaryPrimitives.WriteUInt32BigEndian(s, v); else BinaryPrimitives.WriteUInt32LittleEndian(s, v);
    }

    private long SizeOfDataset(DicomDataset ds, bool explicitVR)
    {
        if (_sizes.TryGetValue(ds, out var cached)) return cached;
        long total = 0;
        foreach (var item in ds) total += SizeOfItem(item, explicitVR);
        _sizes[ds] = total;
        return total;
    }

    private long SizeOfSequenceContent(DicomSequence sq, bool explicitVR)
    {
        long total = 0;
        bool undefined = Undefined(sq);
        foreach (var child in sq.Items) total += 8 + SizeOfDataset(child, explicitVR) + (undefined ? 8 : 0);
        return total;
    }

    private long SizeOfItem(DicomItem item, bool explicitVR)
    {
        if (Skip(item)) return 0;
        switch (item)
        {
            case DicomElement e:
                long len = e.Buffer.Size + (e.Buffer.Size & 1);
                var vr = e.VR;
                if (explicitVR && !vr.HasLongLength && len > 0xFFFF) vr = DicomVR.UN;
                return HeaderSize(vr, explicitVR) + len;
            case DicomSequence sq:
                return HeaderSize(DicomVR.SQ, explicitVR) + SizeOfSequenceContent(sq, explicitVR) + (Undefined(sq) ? 8 : 0);
            case DicomFragmentSequence f:
                long size = HeaderSize(f.VR, explicitVR) + 8 + f.OffsetTable.Size + 8;
                foreach (var frag in f.Fragments) size += 8 + frag.Size + (frag.Size & 1);
                return size;
            default:
                return 0;
        }
    }

    private static int HeaderSize(DicomVR vr, bool explicitVR) => !explicitVR ? 8 : vr.HasLongLength ? 12 : 8;

    /// <summary>Passes writes through and counts them.</summary>
    private sealed class CountingStream(Stream inner, long start) : Stream
    {
        public long Offset { get; private set; } = start;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Offset += buffer.Length;
        }
        public override void WriteByte(byte value)
        {
            inner.WriteByte(value);
            Offset++;
        }
    }
}
