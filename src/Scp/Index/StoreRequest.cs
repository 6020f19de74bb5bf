namespace EdgeCancer.Scp.Index;

/// <summary>One instance to store through <see cref="SqliteInstanceWriter.StoreBatchAsync"/>, and its outcome.</summary>
internal sealed class StoreRequest(InstanceRecord record, bool enqueueWork, string workKind, Func<CancellationToken, ValueTask>? beforeCommit)
{
    public InstanceRecord Record => record;
    public bool EnqueueWork => enqueueWork;
    public string WorkKind => workKind;
    public Func<CancellationToken, ValueTask>? BeforeCommit => beforeCommit;

    /// <summary>The outcome once the batch has run (committed when stored), or null with <see cref="Error"/>.</summary>
    public StoreResult? Result { get; set; }

    /// <summary>Why this request failed (nothing of it is committed).</summary>
    public Exception? Error { get; set; }

    /// <summary>
    /// A write-behind store (fast mode): its file is in place and its sender has its success already; the batch only
    /// commits its rows. See <see cref="SqlArchiveIndex.StoreBehind"/>.
    /// </summary>
    public WriteBehindReservation? Behind { get; init; }

    /// <summary>Completed after the batch's commit (or failure), outside the index's write lock.</summary>
    public TaskCompletionSource<StoreResult> Done { get; } = new();
}
