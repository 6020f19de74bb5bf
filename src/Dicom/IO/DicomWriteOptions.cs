namespace EdgeCancer.Dicom.IO;

/// <summary>How sequence and item lengths are written.</summary>
public enum DicomSequenceLengthMode
{
    /// <summary>Keep each sequence's encoding as read (undefined if it was read so); new sequences get defined lengths.</summary>
    Preserve,
    /// <summary>Always defined lengths.</summary>
    Defined,
    /// <summary>Always undefined lengths with delimiters.</summary>
    Undefined,
}

/// <summary>Options for <see cref="DicomWriter"/>.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>Defaults: preserve sequence length encoding, no preamble changes.</summary>
    public static readonly DicomWriteOptions Default = new();

    /// <summary>Sequence and item length encoding.</summary>
    public DicomSequenceLengthMode SequenceLengths { get; init; } = DicomSequenceLengthMode.Preserve;

    /// <summary>Deflate compression level for the Deflated transfer syntax.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
}
