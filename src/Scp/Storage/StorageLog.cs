using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Storage;

/// <summary>Log messages of the file store (EventIds 3100–3199).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Deleted {Count} unfinished .part file(s) under {Root} left by an interrupted write")]
    public static partial void DeletedPartFiles(ILogger logger, int count, string root);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Refusing to store: {Available} bytes free under {Root}, below the watermark of {Watermark} bytes")]
    public static partial void BelowWatermark(ILogger logger, long available, long watermark, string root);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Refusing to store: {Reason}")]
    public static partial void InvalidUid(ILogger logger, string reason);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Error, Message = "Background fsync of {Path} failed")]
    public static partial void BackgroundSyncFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "Could not delete unfinished file {Path}")]
    public static partial void PartDeleteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Debug, Message = "Background flusher synced {Files} file(s) in {Directories} folder(s)")]
    public static partial void BackgroundSynced(ILogger logger, int files, int directories);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Error, Message = "fdatasync of the ingest journal {Path} failed; the instances waiting on it are refused")]
    public static partial void JournalSyncFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Debug, Message = "Journal checkpoint retired {Bytes} bytes")]
    public static partial void JournalCheckpoint(ILogger logger, long bytes);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Error, Message = "Journal checkpoint failed; records stay in the journal and are retried")]
    public static partial void JournalCheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Replaying {Count} instance(s) from the ingest journal {Path} (the node stopped before its last checkpoint)")]
    public static partial void JournalReplaying(ILogger logger, int count, string path);
}
