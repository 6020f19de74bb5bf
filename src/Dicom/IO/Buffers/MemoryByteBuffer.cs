namespace EdgeCancer.Dicom.IO.Buffers;

/// <summary>A value held in memory.</summary>
public sealed class MemoryByteBuffer(ReadOnlyMemory<byte> bytes) : IByteBuffer
{
    /// <summary>The empty value.</summary>
    public static readonly MemoryByteBuffer Empty = new(ReadOnlyMemory<byte>.Empty);

    /// <inheritdoc />
    public long Size => bytes.Length;
    /// <inheritdoc />
    public bool IsMemory => true;
    /// <inheritdoc />
    public ReadOnlyMemory<byte> Memory => bytes;

    /// <inheritdoc />
    public void CopyTo(long offset, Span<byte> destination) => bytes.Span.Slice(checked((int)offset), destination.Length).CopyTo(destination);

    /// <inheritdoc />
    public void WriteTo(Stream stream) => stream.Write(bytes.Span);

    /// <inheritdoc />
    public ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken = default) => stream.WriteAsync(bytes, cancellationToken);
}
