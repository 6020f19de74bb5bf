namespace EdgeCancer.Dicom.IO.Buffers;

/// <summary>
/// The bytes of one value, held in memory or referenced in a file. Values are always little-endian in a dataset;
/// readers swap big-endian input and writers swap on output.
/// </summary>
public interface IByteBuffer
{
    /// <summary>Length in bytes.</summary>
    long Size { get; }

    /// <summary>True when the bytes are in memory, so <see cref="Memory"/> costs nothing.</summary>
    bool IsMemory { get; }

    /// <summary>The bytes; a file-backed buffer reads them into a new array on each call.</summary>
    ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    void CopyTo(long offset, Span<byte> destination);

    /// <summary>Writes all bytes to <paramref name="stream"/> without loading a file-backed value whole.</summary>
    void WriteTo(Stream stream);

    /// <summary>Writes all bytes to <paramref name="stream"/> asynchronously.</summary>
    ValueTask WriteToAsync(Stream stream, CancellationToken cancellationToken = default);
}
