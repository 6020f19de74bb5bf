namespace EdgeCancer.Scp.Storage;

/// <summary>Why the store could not start a write. The store handler maps these to DIMSE statuses.</summary>
public enum FileStoreError
{
    None,
    /// <summary>A Study, Series or SOP Instance UID is not a valid UID (a C-STORE failure, e.g. 0xA900/0xC000 with a comment).</summary>
    InvalidUid,
    /// <summary>Free space is below the configured watermark: 0xA700 "Refused: Out of Resources".</summary>
    BelowWatermark,
}

/// <summary>The outcome of <see cref="FileStore.BeginWrite"/>: a write to stream into, or an error with a message.</summary>
public readonly record struct BeginWriteResult(PendingFile? Write, FileStoreError Error, string? Message)
{
    public bool Success => Error == FileStoreError.None && Write is not null;
}

/// <summary>Free space of the volume holding the store, and whether it is above the watermark.</summary>
public readonly record struct SpaceCheck(long AvailableBytes, long WatermarkBytes)
{
    public bool IsBelowWatermark => WatermarkBytes > 0 && AvailableBytes < WatermarkBytes;
}
