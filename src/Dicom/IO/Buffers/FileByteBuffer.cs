using System.Buffers;

namespace EdgeCancer.Dicom.IO.Buffers;

/// <summary>
/// A value that stays in its file: a reference (path, offset, length) read on demand, so that opening a 1 GB file
/// does not allocate 1 GB.
/// </summary>
public sealed class FileByteBuffer : IByteBuffer
{
    /// <summary>Creates a reference to <paramref name="length"/> bytes at <paramref name="offset"/> in <paramref name="path"/>.</summary>
    public FileByteBuffer(string path, long offset, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Path = path;
        Offset = offset;
        Size = length;
    }

    /// <summary>The file that holds the value.</summary>
    public string Path { get; }
    /// <summary>Where the value starts in the file.</summary>
    public long Offset { get; }
    /// <inheritdoc />
    public long Size { get; }
    /// <inheritdoc />
    public bool IsMemory => false;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Memory
    {
        get
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)Size));
            CopyTo(0, bytes);
            return bytes;
        }
    }

    /// <inheritdoc />
    public void CopyTo(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > Size) throw new ArgumentOutOfRangeException(nameof(offset));
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long position = Offset + offset;
        while (!destination.IsEmpty)
        {
            int n = RandomAccess.Read(handle, destination, position);
            if (n <= 0) throw new EndOfStreamException($"{Path} is shorter than a value it held when it was read (offset {position}).");
            destination = destination[n..];
            position += n;
        }
    }

    /// <inheritdoc />
    public void WriteTo(Stream stream)
    {
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(Size, 1), 1 << 20));
        try
        {
            long done = 0;
            while (done < Size)
            {
                int want = (int)Math.Min(chunk.Length, Size - done);
                int n = RandomAccess.Read(handle, chunk.AsSpan(0, want), Offset + done);
                if (n <= 0) throw new EndOfStreamException($"{Path} is shorter than a value it held when it was read.");
                stream.Write(chunk, 0, n);
                done += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
    }

    /// <inheritdoc />
    public async ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);
        var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(Size, 1), 1 << 20));
        try
        {
            long done = 0;
            while (done < Size)
            {
                int want = (int)Math.Min(chunk.Length, Size - done);
                int n = await RandomAccess.ReadAsync(handle, chunk.AsMemory(0, want), Offset + done, cancellationToken).ConfigureAwait(false);
                if (n <= 0) throw new EndOfStreamException($"{Path} is shorter than a value it held when it was read.");
                await stream.WriteAsync(chunk.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                done += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(chunk); }
    }
}
