namespace EdgeCancer.Scp.Index;

/// <summary>States of a row in <c>work_queue</c>.</summary>
public static class WorkState
{
    public const string Pending = "pending";
    public const string Claimed = "claimed";
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>A unit of work on one stored instance (e.g. inference), claimed by one worker at a time.</summary>
public sealed record WorkItem(
    long Id,
    string SopInstanceUid,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string Kind,
    string State,
    string? ClaimedBy,
    DateTimeOffset? ClaimedAt,
    int Attempts,
    string? LastError,
    DateTimeOffset CreatedAt);

/// <summary>The DIMSE operations a remote AE may use with us, or we with it.</summary>
[Flags]
public enum AeOperations
{
    None = 0,
    Echo = 1,
    Store = 2,
    Find = 4,
    Move = 8,
    Get = 16,
    All = Echo | Store | Find | Move | Get,
}

/// <summary>A row of the remote AE table: access list and C-MOVE destinations.</summary>
public sealed record RemoteAe(string AeTitle, string Host, int Port, AeOperations AllowedOperations, string? Description = null);
