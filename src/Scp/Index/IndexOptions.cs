namespace EdgeCancer.Scp.Index;

public enum IndexDialect
{
    Sqlite,
    PostgreSql,
}

/// <summary>Settings of the archive index (config section <c>Archive:Index</c>).</summary>
public sealed class IndexOptions
{
    public IndexDialect Dialect { get; set; } = IndexDialect.Sqlite;

    /// <summary>ADO.NET connection string, e.g. <c>Data Source=./data/index.db</c> or <c>Host=…;Database=edgecancer</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=./data/index.db";

    public DuplicatePolicy DuplicatePolicy { get; set; } = DuplicatePolicy.Replace;

    /// <summary>SQLite busy timeout: how long a writer waits for another process's lock.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite <c>PRAGMA synchronous</c> in WAL mode. FULL (default) makes each commit durable before success is
    /// sent; NORMAL survives process crashes but a power loss may drop the last commits.
    /// </summary>
    public string SqliteSynchronous { get; set; } = "FULL";

    /// <summary>
    /// PostgreSQL: commit the instance transactions with <c>synchronous_commit = off</c> (the commit returns before
    /// PostgreSQL's WAL flush). Safe only when something else makes them durable before success is sent or the
    /// loss is accepted: the ingest journal (its checkpoint calls <see cref="SqlArchiveIndex.SyncAsync"/>), or fast mode.
    /// </summary>
    public bool AsynchronousCommit { get; set; }

    /// <summary>
    /// Fast mode on SQLite: a C-STORE is answered once its file is in place and its index rows are queued, and a
    /// background commit writes the rows (write-behind). Queries wait for the rows acknowledged before them; a record
    /// of each queued instance (<c>{database}-behind</c>) lets the next start index what a crash left unindexed.
    /// False: the rows commit before the answer, as in durable mode. No effect outside fast mode or on PostgreSQL.
    /// </summary>
    public bool WriteBehind { get; set; } = true;

    /// <summary>A claimed work item whose claim is older than this can be claimed again (its worker is presumed dead).</summary>
    public TimeSpan WorkLeaseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts after which a failing work item stays failed.</summary>
    public int MaxWorkAttempts { get; set; } = 5;
}
