using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Index;

/// <summary>Log messages of the index (EventIds 3200–3299). No patient data at Information level.</summary>
internal static partial class IndexLog
{
    [LoggerMessage(EventId = 3201, Message = "Index migration: {Message}")]
    public static partial void Migration(ILogger logger, LogLevel level, string message);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Refused instance {SopInstanceUid}: {Reason}")]
    public static partial void HierarchyConflict(ILogger logger, string sopInstanceUid, string reason);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Debug, Message = "Concurrent insert of {SopInstanceUid} collided; retrying ({Attempt})")]
    public static partial void RetryingUniqueViolation(ILogger logger, string sopInstanceUid, int attempt);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Background checkpoint of the index's write-ahead log failed; SQLite checkpoints on commit instead")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Critical, Message = "Instance {SopInstanceUid} was acknowledged (fast mode) but its index rows could not be written: {Reason}. Its file {Path} stays in place and is indexed again at the next start")]
    public static partial void BehindNotIndexed(ILogger logger, string sopInstanceUid, string path, string reason);
}
