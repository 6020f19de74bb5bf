using EdgeCancer.Scp.Query;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// The archive's index: patients, studies, series and instances; the durable work queue; the remote AE table; and
/// C-FIND queries. Implemented over SQLite or PostgreSQL by <see cref="SqlArchiveIndex"/>.
/// </summary>
public interface IArchiveIndex
{
    /// <summary>
    /// Indexes one instance in a single transaction (patient, study and series upserted, instance added or replaced
    /// per the <see cref="DuplicatePolicy"/>), with a work item of <paramref name="workKind"/> in the same transaction
    /// when <paramref name="enqueueWork"/> is set. <paramref name="beforeCommit"/> runs inside the transaction after
    /// all rows are written and before commit: the store handler passes the file's rename there, so a failing index
    /// write leaves no visible file and a failing rename leaves no row.
    /// </summary>
    Task<StoreResult> StoreInstanceAsync(InstanceRecord record, bool enqueueWork, CancellationToken ct,
        Func<CancellationToken, ValueTask>? beforeCommit = null, string workKind = "inference");

    /// <summary>The indexed study/series and file path of an instance, or null.</summary>
    Task<IndexedInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken ct);

    /// <summary>Claims up to <paramref name="batch"/> pending items (or items whose claim has outlived the lease).</summary>
    Task<IReadOnlyList<WorkItem>> ClaimAsync(string workerId, int batch, CancellationToken ct);

    /// <summary>Marks a claimed item done. False when the claim was lost (lease expired and taken by another worker).</summary>
    Task<bool> CompleteAsync(long id, string workerId, CancellationToken ct);

    /// <summary>
    /// Records a failure of a claimed item. With <paramref name="retry"/> and attempts left it becomes pending again
    /// after <paramref name="retryDelay"/>; otherwise it stays failed. False when the claim was lost.
    /// </summary>
    Task<bool> FailAsync(long id, string workerId, string error, bool retry, TimeSpan retryDelay, CancellationToken ct);

    Task<WorkItem?> GetWorkItemAsync(long id, CancellationToken ct);

    Task UpsertRemoteAeAsync(RemoteAe ae, CancellationToken ct);
    Task<RemoteAe?> GetRemoteAeAsync(string aeTitle, CancellationToken ct);
    Task<IReadOnlyList<RemoteAe>> ListRemoteAesAsync(CancellationToken ct);
    Task<bool> DeleteRemoteAeAsync(string aeTitle, CancellationToken ct);

    /// <summary>Validates a C-FIND identifier against the model and translates it for this index (no I/O).</summary>
    FindPlanResult PlanFind(FindRequest request);

    /// <summary>Streams the matches of a planned C-FIND; cancel <paramref name="ct"/> on C-CANCEL.</summary>
    IAsyncEnumerable<FindResult> FindAsync(FindPlan plan, CancellationToken ct);
}

/// <summary>Where an indexed instance lives.</summary>
public sealed record IndexedInstance(string SopInstanceUid, string SopClassUid, string StudyInstanceUid, string SeriesInstanceUid,
    string FilePath, long FileSize, string? TransferSyntaxUid);
