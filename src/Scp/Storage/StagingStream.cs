using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// The write side of a <see cref="PendingFile"/>: small pieces are gathered in one pooled buffer, large spans written
/// from where they are (with the buffered bytes before them, through <c>pwritev(2)</c>), synchronously on the caller's thread. Writing into the page cache takes tens of
/// microseconds per buffer; .NET's asynchronous file writes on Linux are the same synchronous call moved to a
/// thread-pool thread, which cost a thread hop (wake-up, context switch, spinning) per buffer on the C-STORE path.
/// The first bytes of the file are also kept in memory (<see cref="Prefix"/>), so the data set's header can be parsed
/// without reopening and rereading the staged file.
/// </summary>
internal sealed class StagingStream : Stream
{
    /// <summary>
    /// Largest span written in one call from where it is. A PDU of 128 KiB (what DCMTK sends) goes in one write, not
    /// in buffer-sized pieces: a 512×512 slice in five writes instead of nine (benchmarks/README.md, run I).
    /// </summary>
    internal const int MaxDirectWrite = 1024 * 1024;

    private readonly SafeFileHandle _handle;
    private byte[]? _buffer;
    private byte[]? _prefix;
    private readonly int _prefixCapacity;
    private long _prefixLimit;
    private int _prefixLength;
    private int _count;
    private long _written;
    private uint _crc;
    private readonly bool _computeCrc;

    /// <param name="handle">The staged file, open for reading and writing.</param>
    /// <param name="bufferSize">Bytes gathered before a write.</param>
    /// <param name="prefixCapacity">Bytes at the start of the file kept in memory (<see cref="Prefix"/>).</param>
    /// <param name="computeCrc">
    /// Keep a running CRC-32C (<see cref="Crc"/>): only the write-once ingest journal's intent records need it, and at
    /// 8 bytes per instruction it cost about 6 % of fast mode's CPU per image for nothing.
    /// </param>
    public StagingStream(SafeFileHandle handle, int bufferSize, int prefixCapacity, bool computeCrc = true)
    {
        _handle = handle;
        _computeCrc = computeCrc;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(bufferSize, 4096));
        _prefixCapacity = prefixCapacity;
        _prefixLimit = prefixCapacity;
    }

    /// <summary>
    /// The file's first bytes: up to the prefix capacity given at creation, or up to the end of the element header of
    /// the first Pixel Data (7FE0,0010) tag seen; the whole file when it is that short.
    /// </summary>
    public ReadOnlySpan<byte> Prefix => _prefix is null ? ReadOnlySpan<byte>.Empty : _prefix.AsSpan(0, _prefixLength);

    /// <summary>True when <see cref="Prefix"/> holds every byte written so far.</summary>
    public bool PrefixIsWholeFile => _prefixLength == Length;

    public SafeFileHandle Handle => _handle;

    /// <summary>CRC-32C of every byte written so far (the ingest journal's intent records); 0 when not computed.</summary>
    public uint Crc => _crc;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => _buffer is not null;
    public override long Length => _written + _count;
    public override long Position { get => Length; set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> source)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(StagingStream));
        KeepPrefix(source);
        if (_computeCrc) _crc = Crc32C.Append(_crc, source);
        // Small pieces (a PDV's first bytes, a command's data) are gathered; the bulk of a data set arrives in spans
        // of a PDU's size, which go to the file from where they are, whole (up to MaxDirectWrite). What the buffer
        // holds is written together with the span, in one pwritev: no byte of the span is copied into the buffer.
        while (source.Length > 0)
        {
            int room = buffer.Length - _count;
            if (source.Length < room && source.Length < buffer.Length / 4)
            {
                source.CopyTo(buffer.AsSpan(_count));
                _count += source.Length;
                return;
            }
            int n = Math.Min(source.Length, Math.Max(room, MaxDirectWrite));
            if (_count == 0) RandomAccess.Write(_handle, source[..n], _written);
            else NativeSync.WriteGathered(_handle, buffer.AsSpan(0, _count), source[..n], _written);
            _written += _count + n;
            _count = 0;
            source = source[n..];
        }
    }

    private void KeepPrefix(ReadOnlySpan<byte> source)
    {
        long at = Length;
        if (at >= _prefixLimit) return;
        _prefix ??= ArrayPool<byte>.Shared.Rent(_prefixCapacity);
        int n = (int)Math.Min(_prefixLimit - at, source.Length);
        // The header ends where Pixel Data begins: once its tag is seen, only the rest of its element header is kept,
        // not the pixels after it (up to 64 KiB copied per slice for nothing). The same four bytes inside an earlier
        // value (an icon's pixel data) end the prefix early; the header is then read from the file, as for one larger
        // than the prefix. A tag split between two writes is not seen, and the prefix fills up as before.
        int tag = source[..n].IndexOf(PixelDataTag);
        if (tag >= 0)
        {
            _prefixLimit = Math.Min(at + tag + PixelDataElementHeader, _prefixLimit);
            n = (int)Math.Min(n, _prefixLimit - at);
        }
        source[..n].CopyTo(_prefix.AsSpan((int)at));
        _prefixLength = (int)at + n;
    }

    // (7FE0,0010) little endian, and the longest element header that starts with it (explicit VR with a 32-bit length).
    private static ReadOnlySpan<byte> PixelDataTag => [0xE0, 0x7F, 0x10, 0x00];
    private const int PixelDataElementHeader = 12;

    private void WriteBuffer()
    {
        if (_count == 0) return;
        RandomAccess.Write(_handle, _buffer.AsSpan(0, _count), _written);
        _written += _count;
        _count = 0;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        Write(source.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (_buffer is not null) WriteBuffer();
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    /// <summary>Writes the buffer and fsyncs the file (data and metadata).</summary>
    public void FlushToDisk()
    {
        Flush();
        NativeSync.SyncFile(_handle);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        // Bytes not flushed are discarded, and disposing never writes (so it cannot fail on a full disk while a failed
        // write is being abandoned): PendingFile flushes before every commit and deletes the file otherwise.
        if (disposing && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            if (_prefix is not null) ArrayPool<byte>.Shared.Return(_prefix);
            _prefix = null;
            _handle.Dispose();
        }
        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
