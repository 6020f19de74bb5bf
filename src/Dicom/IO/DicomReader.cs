using System.Buffers;
using System.Buffers.Binary;
using EdgeCancer.Dicom.IO.Buffers;

namespace EdgeCancer.Dicom.IO;

/// <summary>
/// A forward-only pull reader over a dataset stream (PS3.5 §7), in the manner of <c>Utf8JsonReader</c>: each
/// <see cref="Read()"/> moves to the next token (element, sequence/item boundary, fragment) without allocating per element.
/// Values up to <see cref="DicomReaderOptions.LargeValueThreshold"/> are exposed as spans into a pooled buffer; larger
/// ones become file references when the source is a file. Every length is checked against the enclosing item and the
/// stream before anything is allocated for it.
/// </summary>
public sealed class DicomReader : IDisposable
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    private Stream _stream;
    private readonly DicomReaderOptions _options;
    private string? _filePath;
    private long _streamLength; // -1 when unknown
    private byte[] _buf;
    private int _pos, _end;
    private long _bufStart; // absolute offset of _buf[0]
    private bool _eof;

    private DicomTransferSyntax _syntax;
    private readonly List<Frame> _stack = [];
    private bool _valuePending; // current element's value not consumed yet
    private bool _valueBuffered; // value available in _buf at _valueStart
    private int _valueStart;
    private bool _valueSwapped;
    private int _depth; // open sequences (and fragment sequences)
    private bool _finished;
    // Private creators seen so far (PS3.5 §7.8.1), innermost item last; an item's entries are dropped when it ends.
    private readonly List<CreatorEntry> _creators = [];

    private readonly record struct CreatorEntry(ushort Group, byte Block, string Name);

    private enum FrameKind { Sequence, Item, Fragments }

    private struct Frame
    {
        public FrameKind Kind;
        public long End; // absolute end offset, or -1 when undefined length
        public bool Explicit;
        public bool BigEndian;
        public DicomTag Tag;
        public int CreatorStart; // first entry of _creators that belongs to this item
    }

    /// <summary>Creates a reader over <paramref name="stream"/> positioned at the first element of a dataset encoded in <paramref name="syntax"/>.</summary>
    /// <param name="stream">The source; its current position is offset <paramref name="baseOffset"/>.</param>
    /// <param name="syntax">Transfer syntax of the dataset (a deflated syntax must already be inflated by the caller).</param>
    /// <param name="options">Reader options, or defaults.</param>
    /// <param name="filePath">The file the stream reads, so large values can stay in it as references.</param>
    /// <param name="baseOffset">Absolute offset of the stream's current position in that file.</param>
    public DicomReader(Stream stream, DicomTransferSyntax syntax, DicomReaderOptions? options = null, string? filePath = null, long baseOffset = 0)
    {
        _stream = stream;
        _syntax = syntax;
        _options = options ?? DicomReaderOptions.Default;
        _filePath = filePath;
        _bufStart = baseOffset;
        _streamLength = stream.CanSeek ? baseOffset + (stream.Length - stream.Position) : -1;
        _buf = ArrayPool<byte>.Shared.Rent(Math.Max(16 * 1024, Math.Min(_options.LargeValueThreshold, 1 << 20) + 16));
    }

    /// <summary>The current token.</summary>
    public DicomReaderToken Token { get; private set; }
    /// <summary>The current element's tag (for items and fragments, the enclosing sequence's tag).</summary>
    public DicomTag Tag { get; private set; }
    /// <summary>The current element's VR.</summary>
    public DicomVR VR { get; private set; }
    /// <summary>Declared value length (0xFFFFFFFF for undefined).</summary>
    public uint Length { get; private set; }
    /// <summary>True when the current sequence or item has undefined length.</summary>
    public bool IsUndefinedLength => Length == UndefinedLength;
    /// <summary>Absolute offset of the current value's first byte.</summary>
    public long ValueOffset { get; private set; }
    /// <summary>Absolute offset of the current token's header.</summary>
    public long HeaderOffset { get; private set; }
    /// <summary>Number of open sequences around the current token.</summary>
    public int Depth => _depth;
    /// <summary>Absolute offset of the next unread byte.</summary>
    public long Position => _bufStart + _pos;
    /// <summary>The transfer syntax in force.</summary>
    public DicomTransferSyntax TransferSyntax => _syntax;
    /// <summary>True when the reader stopped at <see cref="DicomReaderOptions.StopAtTag"/> or a <see cref="Read(Func{DicomTag,bool})"/> predicate rather than the end of data.</summary>
    public bool StoppedEarly { get; private set; }

    private bool CurrentExplicit => _stack.Count > 0 ? _stack[^1].Explicit : _syntax.IsExplicitVR;
    private bool CurrentBigEndian => _stack.Count > 0 ? _stack[^1].BigEndian : _syntax.IsBigEndian;

    /// <summary>Moves to the next token; false at the end of the dataset or at the stop tag.</summary>
    public bool Read() => Read(null);

    /// <summary>Moves to the next token, stopping (false) before a top-level element for which <paramref name="stopBefore"/> is true.</summary>
    public bool Read(Func<DicomTag, bool>? stopBefore)
    {
        if (_finished) return false;
        if (_valuePending) SkipValue();

        // Defined-length containers that are exhausted end here.
        if (_stack.Count > 0 && _stack[^1].End >= 0 && Position >= _stack[^1].End)
        {
            if (Position > _stack[^1].End) throw Error("an element runs past the end of its enclosing item or sequence", Tag);
            return _stack[^1].Kind == FrameKind.Item ? EmitItemEnd() : EmitSequenceEnd();
        }
        for (int i = _stack.Count - 2; i >= 0; i--)
        {
            if (_stack[i].End < 0) continue;
            // An undefined-length item or sequence must be closed by its delimiter before its defined-length container ends.
            if (Position >= _stack[i].End) throw Error("an undefined-length item or sequence is not closed before the end of its enclosing sequence or item", _stack[^1].Tag);
            break;
        }

        HeaderOffset = Position;
        if (!Ensure(4))
        {
            if (_stack.Count == 0 && _end == _pos) { _finished = true; Token = DicomReaderToken.None; return false; }
            throw Error("unexpected end of data in an element header", null);
        }

        bool big = CurrentBigEndian;
        ushort group = ReadU16(_pos, big), element = ReadU16(_pos + 2, big);
        var tag = new DicomTag(group, element);

        if (_stack.Count == 0)
        {
            if ((_options.StopAtTag is { } stop && tag >= stop) || (stopBefore?.Invoke(tag) ?? false))
            {
                StoppedEarly = true;
                _finished = true;
                Token = DicomReaderToken.None;
                return false;
            }
        }

        var top = _stack.Count > 0 ? _stack[^1] : default;
        bool inSequence = _stack.Count > 0 && top.Kind is FrameKind.Sequence or FrameKind.Fragments;

        if (tag.IsDelimiterOrItem)
        {
            if (!Ensure(8)) throw Error("unexpected end of data in an item header", tag);
            uint len = ReadU32(_pos + 4, big);
            _pos += 8;
            if (tag == DicomTag.Item)
            {
                if (!inSequence) throw Error("an item tag (FFFE,E000) outside a sequence", tag);
                if (top.Kind == FrameKind.Fragments)
                {
                    if (len == UndefinedLength) throw Error("a fragment with undefined length", tag);
                    return BeginValue(DicomReaderToken.Fragment, top.Tag, DicomVR.OB, len);
                }
                long end = len == UndefinedLength ? -1 : CheckedEnd(len, tag);
                _stack.Add(new Frame { Kind = FrameKind.Item, End = end, Explicit = top.Explicit, BigEndian = top.BigEndian, Tag = top.Tag, CreatorStart = _creators.Count });
                Token = DicomReaderToken.ItemStart;
                Tag = top.Tag;
                VR = DicomVR.None;
                Length = len;
                ValueOffset = Position;
                return true;
            }
            if (tag == DicomTag.ItemDelimitationItem)
            {
                if (_stack.Count == 0 || top.Kind != FrameKind.Item) throw Error("an item delimiter outside an item", tag);
                if (top.End >= 0) throw Error("an item delimiter inside a defined-length item", tag);
                return EmitItemEnd();
            }
            if (tag == DicomTag.SequenceDelimitationItem)
            {
                if (!inSequence) throw Error("a sequence delimiter outside a sequence", tag);
                if (top.End >= 0) throw Error("a sequence delimiter inside a defined-length sequence", tag);
                return EmitSequenceEnd();
            }
            throw Error("an unknown delimiter tag in group FFFE", tag);
        }

        if (inSequence) throw Error("an element where a sequence item was expected", tag);

        // Element header (PS3.5 §7.1.1–7.1.3).
        DicomVR vr;
        uint length;
        bool explicitVR = CurrentExplicit;
        if (explicitVR)
        {
            if (!Ensure(8)) throw Error("unexpected end of data in an element header", tag);
            if (!DicomVR.TryFromBytes(_buf[_pos + 4], _buf[_pos + 5], out vr))
                throw Error($"an invalid VR '{Printable(_buf[_pos + 4])}{Printable(_buf[_pos + 5])}' in an Explicit VR dataset", tag);
            if (vr.HasLongLength)
            {
                if (!Ensure(12)) throw Error("unexpected end of data in an element header", tag);
                length = ReadU32(_pos + 8, big);
                _pos += 12;
            }
            else
            {
                length = ReadU16(_pos + 6, big);
                _pos += 8;
            }
        }
        else
        {
            if (!Ensure(8)) throw Error("unexpected end of data in an element header", tag);
            length = ReadU32(_pos + 4, big);
            _pos += 8;
            vr = ImplicitVR(tag, length);
        }

        if (vr == DicomVR.UN && length == UndefinedLength)
        {
            // PS3.5 §6.2.2: UN of undefined length is a sequence encoded in Implicit VR Little Endian.
            return BeginSequence(tag, DicomVR.SQ, length, explicitVR: false, bigEndian: false);
        }
        if (vr == DicomVR.UN && _options.ReinterpretUN && DicomDictionary.Find(tag) is { } known && known.ValueRepresentations.Length == 1 && !big)
        {
            var real = known.ValueRepresentation;
            if (real == DicomVR.SQ) return BeginSequence(tag, DicomVR.SQ, length, explicitVR: false, bigEndian: false);
            if (real.IsKnown && real != DicomVR.UN) vr = real;
        }

        if (vr == DicomVR.SQ) return BeginSequence(tag, vr, length, explicitVR, big);

        if (length == UndefinedLength)
        {
            if (vr == DicomVR.OB || vr == DicomVR.OW || (tag == DicomTags.PixelData))
            {
                // Encapsulated data (PS3.5 §A.4).
                if (_depth + 1 > _options.MaxDepth) throw Error($"sequences nested deeper than {_options.MaxDepth} levels", tag);
                _stack.Add(new Frame { Kind = FrameKind.Fragments, End = -1, Explicit = explicitVR, BigEndian = big, Tag = tag });
                _depth++;
                Token = DicomReaderToken.FragmentsStart;
                Tag = tag;
                VR = vr == DicomVR.OW ? DicomVR.OW : DicomVR.OB;
                Length = length;
                ValueOffset = Position;
                return true;
            }
            throw Error($"undefined length on a {vr} element, which allows only defined lengths", tag);
        }

        if ((length & 1) == 1 && !_options.AllowOddLengths)
            throw Error($"odd value length {length} (PS3.5 §7.1.1 requires even lengths)", tag);

        return BeginValue(DicomReaderToken.Element, tag, vr, length);
    }

    private static char Printable(byte b) => b is >= 0x20 and < 0x7F ? (char)b : '?';

    private DicomVR ImplicitVR(DicomTag tag, uint length)
    {
        if (tag.Element == 0x0000) return DicomVR.UL;
        if (tag.IsPrivate)
        {
            if (tag.IsPrivateCreator) return DicomVR.LO;
            // PS3.5 §7.8.1: (gggg,xxee) belongs to the block reserved by (gggg,00xx); its creator names the dictionary.
            if (FindCreator(tag) is { } creator && DicomDictionary.FindPrivate(creator, tag) is { } privateEntry)
            {
                var pvr = privateEntry.ValueRepresentation;
                if (length == UndefinedLength && pvr != DicomVR.SQ && privateEntry.ValueRepresentations.Contains(DicomVR.SQ)) return DicomVR.SQ;
                if (pvr.IsKnown) return pvr;
            }
            return length == UndefinedLength ? DicomVR.SQ : DicomVR.UN;
        }
        var entry = DicomDictionary.Find(tag);
        if (entry is null) return length == UndefinedLength ? DicomVR.SQ : DicomVR.UN;
        var vr = entry.ValueRepresentation;
        if (tag == DicomTags.PixelData) return DicomVR.OW; // PS3.5 §A.1: OW in Implicit VR
        // PS3.5 §A.1: an "OB or OW" element (Overlay Data, Waveform Data, …) is OW in Implicit VR Little Endian.
        if (vr == DicomVR.OB && entry.ValueRepresentations.Contains(DicomVR.OW)) return DicomVR.OW;
        if (length == UndefinedLength && vr != DicomVR.SQ && entry.ValueRepresentations.Contains(DicomVR.SQ)) return DicomVR.SQ;
        return vr;
    }

    /// <summary>The private creator that reserved the block of <paramref name="tag"/> in the current item (or top level), if seen.</summary>
    private string? FindCreator(DicomTag tag)
    {
        if (tag.Element < 0x1000) return null;
        int start = _stack.Count > 0 && _stack[^1].Kind == FrameKind.Item ? _stack[^1].CreatorStart : 0;
        byte block = (byte)(tag.Element >> 8);
        for (int i = _creators.Count - 1; i >= start; i--)
            if (_creators[i].Group == tag.Group && _creators[i].Block == block) return _creators[i].Name;
        return null;
    }

    /// <summary>The private creator of the current element when it is a private data element whose creator was read; otherwise null.</summary>
    public string? PrivateCreator => Tag.IsPrivate && !Tag.IsPrivateCreator ? FindCreator(Tag) : null;

    private void RememberCreator(DicomTag tag, ReadOnlySpan<byte> value)
    {
        var name = System.Text.Encoding.Latin1.GetString(value).Trim(' ', '\0');
        byte block = (byte)tag.Element;
        int start = _stack.Count > 0 && _stack[^1].Kind == FrameKind.Item ? _stack[^1].CreatorStart : 0;
        for (int i = _creators.Count - 1; i >= start; i--)
        {
            if (_creators[i].Group == tag.Group && _creators[i].Block == block)
            {
                _creators[i] = new CreatorEntry(tag.Group, block, name);
                return;
            }
        }
        _creators.Add(new CreatorEntry(tag.Group, block, name));
    }

    private bool BeginSequence(DicomTag tag, DicomVR vr, uint length, bool explicitVR, bool bigEndian)
    {
        if (_depth + 1 > _options.MaxDepth) throw Error($"sequences nested deeper than {_options.MaxDepth} levels", tag);
        long end = length == UndefinedLength ? -1 : CheckedEnd(length, tag);
        _stack.Add(new Frame { Kind = FrameKind.Sequence, End = end, Explicit = explicitVR, BigEndian = bigEndian, Tag = tag });
        _depth++;
        Token = DicomReaderToken.SequenceStart;
        Tag = tag;
        VR = vr;
        Length = length;
        ValueOffset = Position;
        return true;
    }

    private bool EmitItemEnd()
    {
        var f = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        _creators.RemoveRange(f.CreatorStart, _creators.Count - f.CreatorStart);
        Token = DicomReaderToken.ItemEnd;
        Tag = f.Tag;
        VR = DicomVR.None;
        Length = 0;
        return true;
    }

    private bool EmitSequenceEnd()
    {
        var f = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        _depth--;
        Token = f.Kind == FrameKind.Fragments ? DicomReaderToken.FragmentsEnd : DicomReaderToken.SequenceEnd;
        Tag = f.Tag;
        VR = f.Kind == FrameKind.Fragments ? DicomVR.OB : DicomVR.SQ;
        Length = 0;
        return true;
    }

    private long CheckedEnd(uint length, DicomTag tag)
    {
        long end = Position + length;
        // The innermost container with a defined length bounds everything inside it, however deeply nested
        // (an undefined-length item inside a defined-length sequence is still bounded by the sequence).
        for (int i = _stack.Count - 1; i >= 0; i--)
        {
            if (_stack[i].End < 0) continue;
            if (end > _stack[i].End) throw Error($"value length {length} runs past the end of the enclosing item or sequence", tag);
            break;
        }
        if (_streamLength >= 0 && end > _streamLength)
            throw Error($"value length {length} runs past the end of the data ({_streamLength - Position} bytes left)", tag);
        return end;
    }

    private bool BeginValue(DicomReaderToken token, DicomTag tag, DicomVR vr, uint length)
    {
        CheckedEnd(length, tag);
        Token = token;
        Tag = tag;
        VR = vr;
        Length = length;
        ValueOffset = Position;
        _valuePending = true;
        _valueSwapped = false;
        _valueBuffered = false;
        if (length <= _options.LargeValueThreshold)
        {
            if (!Ensure((int)length)) throw Error($"unexpected end of data: value length {length} but only {_end - _pos} bytes left", tag);
            _valueBuffered = true;
            _valueStart = _pos;
            if (token == DicomReaderToken.Element && tag.IsPrivateCreator) RememberCreator(tag, _buf.AsSpan(_pos, (int)length));
        }
        return true;
    }

    /// <summary>True when the current value is small enough to be available as <see cref="ValueSpan"/>.</summary>
    public bool HasValueSpan => _valuePending && _valueBuffered;

    /// <summary>The current value's bytes (little-endian), valid until the next <see cref="Read()"/>. Only for buffered values.</summary>
    public ReadOnlySpan<byte> ValueSpan
    {
        get
        {
            if (!HasValueSpan) throw new InvalidOperationException("The current value is not buffered; use GetValue().");
            var span = _buf.AsSpan(_valueStart, (int)Length);
            if (CurrentBigEndian && !_valueSwapped && Token == DicomReaderToken.Element)
            {
                SwapInPlace(span, SwapUnit(VR));
                _valueSwapped = true;
            }
            return span;
        }
    }

    /// <summary>
    /// The current value as a buffer: a copy for small values, a file reference for large ones when the source is a
    /// file (and not big-endian or deflated), otherwise read into memory in chunks. Consumes the value.
    /// </summary>
    public IByteBuffer GetValue()
    {
        if (!_valuePending) throw new InvalidOperationException("No value at the current position.");
        if (_valueBuffered)
        {
            var copy = ValueSpan.ToArray();
            _pos = _valueStart + (int)Length;
            _valuePending = false;
            return new MemoryByteBuffer(copy);
        }
        int unit = CurrentBigEndian && Token == DicomReaderToken.Element ? SwapUnit(VR) : 1;
        if (_filePath is not null && unit == 1)
        {
            var reference = new FileByteBuffer(_filePath, ValueOffset, Length);
            SkipValue();
            return reference;
        }
        var bytes = ReadLargeValue();
        if (unit > 1) SwapInPlace(bytes, unit);
        _valuePending = false;
        return new MemoryByteBuffer(bytes);
    }

    private byte[] ReadLargeValue()
    {
        // The length was checked against the stream when its length is known; for unknown-length sources (deflate,
        // network) grow in chunks so a lying length cannot allocate more than the data actually present.
        long remaining = Length;
        if (_streamLength >= 0)
        {
            if (remaining > Array.MaxLength) throw TooLarge();
            var result = GC.AllocateUninitializedArray<byte>((int)remaining);
            FillFrom(result);
            return result;
        }
        var chunks = new List<byte[]>();
        long total = 0;
        int chunkSize = 64 * 1024; // grows, so a lying length costs at most about twice the data present
        while (remaining > 0)
        {
            var chunk = GC.AllocateUninitializedArray<byte>((int)Math.Min(remaining, chunkSize));
            chunkSize = Math.Min(chunkSize * 2, 4 << 20);
            FillFrom(chunk);
            chunks.Add(chunk);
            remaining -= chunk.Length;
            total += chunk.Length;
            if (remaining > 0 && total >= Array.MaxLength) throw TooLarge();
        }
        if (chunks.Count == 1) return chunks[0];
        var all = GC.AllocateUninitializedArray<byte>(checked((int)total));
        int at = 0;
        foreach (var c in chunks) { c.CopyTo(all, at); at += c.Length; }
        return all;
    }

    private DicomReadException TooLarge() =>
        Error($"a value of {Length} bytes is too large to hold in memory; open the file by path so it stays in the file", Tag);

    private void FillFrom(Span<byte> destination)
    {
        int fromBuf = Math.Min(_end - _pos, destination.Length);
        _buf.AsSpan(_pos, fromBuf).CopyTo(destination);
        _pos += fromBuf;
        destination = destination[fromBuf..];
        while (!destination.IsEmpty)
        {
            int n = _stream.Read(destination);
            if (n <= 0) throw Error("unexpected end of data inside a value", Tag);
            destination = destination[n..];
            _bufStart += n;
        }
    }

    /// <summary>Skips the current value without reading it into memory.</summary>
    public void SkipValue()
    {
        if (!_valuePending) return;
        _valuePending = false;
        if (_valueBuffered) { _pos = _valueStart + (int)Length; return; }
        long skip = Length;
        int inBuf = (int)Math.Min(_end - _pos, skip);
        _pos += inBuf;
        skip -= inBuf;
        if (skip == 0) return;
        // Buffer is drained: move the window past the value.
        _bufStart += _pos;
        _pos = _end = 0;
        if (_stream.CanSeek)
        {
            _stream.Seek(skip, SeekOrigin.Current);
            _bufStart += skip;
            return;
        }
        var scratch = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (skip > 0)
            {
                int n = _stream.Read(scratch, 0, (int)Math.Min(scratch.Length, skip));
                if (n <= 0) throw Error("unexpected end of data inside a value", Tag);
                skip -= n;
                _bufStart += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(scratch); }
    }

    /// <summary>
    /// After stopping at a top-level tag, continues with another transfer syntax (the dataset after the file meta),
    /// inflating when it is deflated. Large values of a deflated dataset are then read into memory.
    /// </summary>
    public void ContinueWith(DicomTransferSyntax syntax)
    {
        if (_stack.Count != 0) throw new InvalidOperationException("ContinueWith is only valid between top-level elements.");
        _syntax = syntax;
        _finished = false;
        StoppedEarly = false;
        if (syntax.IsDeflated)
        {
            var rest = _buf.AsSpan(_pos, _end - _pos).ToArray();
            var source = new ConcatStream(rest, _stream);
            _stream = new System.IO.Compression.DeflateStream(source, System.IO.Compression.CompressionMode.Decompress);
            _bufStart = 0;
            _pos = _end = 0;
            _filePath = null;
            _streamLength = -1;
        }
    }

    /// <summary>Peeks the next top-level tag without consuming it; null at the end of data.</summary>
    public DicomTag? PeekTag()
    {
        if (_valuePending) SkipValue();
        if (!Ensure(4)) return null;
        bool big = CurrentBigEndian;
        return new DicomTag(ReadU16(_pos, big), ReadU16(_pos + 2, big));
    }

    /// <summary>Peeks raw bytes at the current position (for transfer syntax detection).</summary>
    public ReadOnlySpan<byte> Peek(int count) => Ensure(count) ? _buf.AsSpan(_pos, count) : _buf.AsSpan(_pos, _end - _pos);

    /// <summary>Consumes bytes (a preamble or magic) at the current position.</summary>
    public void Advance(int count)
    {
        if (!Ensure(count)) throw Error("unexpected end of data", null);
        _pos += count;
    }

    /// <summary>
    /// Most bytes one fill of the buffer asks the stream for. A read that stops at a tag (a header) sets it low: the
    /// buffer holds 64 KiB and more, and filling it whole copied mostly pixel data that the read then stops before.
    /// </summary>
    internal int FillLimit { get; set; } = int.MaxValue;

    private bool Ensure(int count)
    {
        if (_end - _pos >= count) return true;
        if (count > _buf.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(_buf, _pos, bigger, 0, _end - _pos);
            ArrayPool<byte>.Shared.Return(_buf);
            _buf = bigger;
            _bufStart += _pos;
            _end -= _pos;
            _pos = 0;
        }
        else if (_pos > 0)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
            _bufStart += _pos;
            _end -= _pos;
            _pos = 0;
        }
        while (_end - _pos < count && !_eof)
        {
            int n = _stream.Read(_buf, _end, Math.Min(_buf.Length - _end, FillLimit));
            if (n <= 0) { _eof = true; break; }
            _end += n;
        }
        return _end - _pos >= count;
    }

    private ushort ReadU16(int at, bool big) => big ? BinaryPrimitives.ReadUInt16BigEndian(_buf.AsSpan(at)) : BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan(at));
    private uint ReadU32(int at, bool big) => big ? BinaryPrimitives.ReadUInt32BigEndian(_buf.AsSpan(at)) : BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(at));

    /// <summary>Size of the byte-swapping unit of a VR in a big-endian stream (PS3.5 §7.3).</summary>
    internal static int SwapUnit(DicomVR vr)
    {
        if (vr == DicomVR.US || vr == DicomVR.SS || vr == DicomVR.OW || vr == DicomVR.AT) return 2;
        if (vr == DicomVR.UL || vr == DicomVR.SL || vr == DicomVR.FL || vr == DicomVR.OF || vr == DicomVR.OL) return 4;
        if (vr == DicomVR.FD || vr == DicomVR.OD || vr == DicomVR.SV || vr == DicomVR.UV || vr == DicomVR.OV) return 8;
        return 1;
    }

    internal static void SwapInPlace(Span<byte> data, int unit)
    {
        if (unit <= 1) return;
        int n = data.Length - data.Length % unit;
        for (int i = 0; i < n; i += unit) data.Slice(i, unit).Reverse();
    }

    private DicomReadException Error(string message, DicomTag? tag) => new(message, Position, tag);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
    }

    private sealed class ConcatStream(byte[] prefix, Stream rest) : Stream
    {
        private int _at;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_at < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _at);
                prefix.AsSpan(_at, n).CopyTo(buffer);
                _at += n;
                return n;
            }
            return rest.Read(buffer);
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
