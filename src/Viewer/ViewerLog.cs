using Microsoft.Extensions.Logging;

namespace EdgeCancer.Viewer;

/// <summary>Log messages of the viewer (EventIds 5000–5099). No patient data at Information level.</summary>
public static partial class ViewerLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "User {User} signed in from {Remote}")]
    public static partial void SignedIn(ILogger logger, string user, string? remote);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Sign-in failed for {User} from {Remote}: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string user, string? remote, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Account {User} locked after repeated failed sign-ins (last from {Remote})")]
    public static partial void LockedOut(ILogger logger, string user, string? remote);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Correction by {User} of {Field} stored as SR {SrUid}")]
    public static partial void CorrectionStored(ILogger logger, string user, string field, string srUid);

    [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "Upload by {User}: {Stored} stored, {Refused} refused")]
    public static partial void Uploaded(ILogger logger, string user, int stored, int refused);

    [LoggerMessage(EventId = 5030, Level = LogLevel.Warning, Message = "Worklist change poll failed: {Reason}")]
    public static partial void ChangeFeedFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 5031, Level = LogLevel.Information, Message = "Export by {User}: study with {Files} files")]
    public static partial void Exported(ILogger logger, string user, int files);

    [LoggerMessage(EventId = 5032, Level = LogLevel.Information, Message = "Heatmap of {Model} {Version} computed in {Milliseconds} ms")]
    public static partial void HeatmapComputed(ILogger logger, string model, string version, long milliseconds);

    [LoggerMessage(EventId = 5033, Level = LogLevel.Warning, Message = "Models not available for heatmaps: {Reason}")]
    public static partial void ModelsUnavailable(ILogger logger, string reason);
}
