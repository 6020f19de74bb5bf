using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace EdgeCancer.Scp.Index;

/// <summary>An instance admitted to write-behind (<see cref="SqlArchiveIndex.ReserveBehind"/>), until its rows commit.</summary>
public sealed class WriteBehindReservation
{
    internal WriteBehindReservation(InstanceRecord record) => Record = record;

    internal InstanceRecord Record { get; }

    /// <summary>True when the SOP Instance UID is indexed or admitted already (in the same series): row and file are replaced.</summary>
    public bool Replaces { get; internal set; }

    internal bool Logged { get; set; }
    internal bool Released { get; set; }
}

// Write-behind of fast mode on SQLite. A C-STORE is answered once its file is in place; its rows are committed by a
// background leader shortly after (group commit, as for every store). What the synchronous path guarantees is kept:
// - refusals: the hierarchy checks run before the answer, against the committed rows (a point query on a reader
//   connection) and against the instances admitted but not yet committed (kept in memory);
// - reads: every query first waits for the rows of the instances acknowledged before it (a read barrier);
// - crashes: each admitted instance's path is appended to {database}-behind before its file is renamed; the next start
//   indexes those files whose rows are missing (ArchiveWriter.ReplayWriteBehindAsync), then empties the record. The
//   record is not synced, like everything else fast mode writes: the background sync makes it durable with the files.
public sealed partial class SqlArchiveIndex
{
    /// <summary>Suffix of the write-behind record beside the SQLite database.</summary>
    public const string WriteBehindLogSuffix = "-behind";

    /// <summary>Admitted instances whose rows are not committed yet beyond which stores wait for their own commit.</summary>
    internal const int MaxBehindQueued = 1024;

    private const long BehindLogTruncateBytes = 1 << 20;

    private readonly string? _behindLogPath;
    private readonly object _behindLock = new();
    private readonly Dictionary<string, (string Study, string Series, int Count)> _inFlightSops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Study, int Count)> _inFlightSeries = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<BehindChecker> _checkers = new();
    private SafeFileHandle? _behindLog;
    private long _behindLogBytes;
    private int _behindOutstanding;     // logged, not yet committed (or failed): under _behindLock
    private int _behindQueued;          // queued, not yet completed
    private volatile bool _behindReady; // the record of the last run has been replayed and emptied
    private volatile bool _behindFaulted;
    private StoreRequest? _lastBehind;
    private int _committerScheduled;
    private int _behindTimerArmed;
    private Timer? _behindTimer;

    /// <summary>
    /// Rows queued for write-behind at which a commit is started; fewer wait up to <see cref="BehindCommitDelay"/> for
    /// more. One transaction per slice spent more on BEGIN, COMMIT and the WAL pages every commit rewrites (the tables'
    /// last leaves, the study and series rows) than on the rows themselves.
    /// </summary>
    internal const int BehindBatchTarget = MaxStoreBatch;

    /// <summary>Longest time an acknowledged instance's rows wait for others to share their commit (queries never wait for it).</summary>
    internal static readonly TimeSpan BehindCommitDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// True when a store may be answered before its rows commit: SQLite on a file, <see cref="IndexOptions.WriteBehind"/>,
    /// the last run's record replayed (<see cref="ClearWriteBehindLog"/>), no failed background commit since the last
    /// good one, and fewer than <see cref="MaxBehindQueued"/> instances waiting for their commit.
    /// </summary>
    public bool CanWriteBehind => _behindReady && !_behindFaulted && Volatile.Read(ref _behindQueued) < MaxBehindQueued;

    /// <summary>The write-behind record's path (null: no file database, so no write-behind).</summary>
    public string? WriteBehindLogPath => _behindLogPath;

    /// <summary>
    /// Admits an instance to write-behind, or refuses it as the commit would: a SOP Instance UID indexed or admitted in
    /// another study or series, or a Series Instance UID in another study (<see cref="StoreOutcome.HierarchyConflict"/>),
    /// or a duplicate under <see cref="DuplicatePolicy.Ignore"/> (<see cref="StoreOutcome.DuplicateIgnored"/>, nothing to write).
    /// Runs on the caller's thread: a point query on a reader connection, which does not wait for the writer.
    /// </summary>
    public (WriteBehindReservation? Reservation, StoreResult? Answer) ReserveBehind(InstanceRecord r)
    {
        WriteBehindReservation reservation;
        // First the admitted instances, then the committed rows: an instance whose rows commit meanwhile is still in
        // the map while this looks at it, or committed before the query below starts.
        lock (_behindLock)
        {
            if (_inFlightSops.TryGetValue(r.SopInstanceUid, out var sop) && (sop.Study != r.StudyInstanceUid || sop.Series != r.SeriesInstanceUid))
                return (null, Conflict(r, $"SOP Instance UID already stored in another {(sop.Study != r.StudyInstanceUid ? "study" : "series")}"));
            if (_inFlightSeries.TryGetValue(r.SeriesInstanceUid, out var series) && series.Study != r.StudyInstanceUid)
                return (null, Conflict(r, "Series Instance UID already stored in another study"));
            if (sop.Count > 0 && _options.DuplicatePolicy == DuplicatePolicy.Ignore) return (null, new StoreResult(StoreOutcome.DuplicateIgnored));
            _inFlightSops[r.SopInstanceUid] = (r.StudyInstanceUid, r.SeriesInstanceUid, sop.Count + 1);
            _inFlightSeries[r.SeriesInstanceUid] = (r.StudyInstanceUid, series.Count + 1);
            reservation = new WriteBehindReservation(r) { Replaces = sop.Count > 0 };
        }
        try
        {
            var (at, seriesStudy) = Committed(r);
            StoreResult? answer = null;
            if (at is { } a)
            {
                if (a.Study != r.StudyInstanceUid || a.Series != r.SeriesInstanceUid)
                    answer = Conflict(r, $"SOP Instance UID already stored in another {(a.Study != r.StudyInstanceUid ? "study" : "series")}");
                else if (_options.DuplicatePolicy == DuplicatePolicy.Ignore) answer = new StoreResult(StoreOutcome.DuplicateIgnored);
                else reservation.Replaces = true;
            }
            if (answer is null && seriesStudy is not null && seriesStudy != r.StudyInstanceUid)
                answer = Conflict(r, "Series Instance UID already stored in another study");
            if (answer is null) return (reservation, null);
            CancelBehind(reservation);
            return (null, answer);
        }
        catch
        {
            CancelBehind(reservation);
            throw;
        }
    }

    private StoreResult Conflict(InstanceRecord r, string message)
    {
        IndexLog.HierarchyConflict(_logger, r.SopInstanceUid, message);
        return new StoreResult(StoreOutcome.HierarchyConflict, null, message);
    }

    // Where the SOP Instance UID is indexed (study, series) and which study the series is indexed under, on a reader
    // connection with the statement prepared once (a few microseconds; SQLite readers do not wait for the writer).
    private ((string Study, string Series)? Sop, string? SeriesStudy) Committed(InstanceRecord r)
    {
        if (!_checkers.TryTake(out var checker)) checker = new BehindChecker(_sqliteConnectionString);
        try
        {
            var result = checker.Look(r.SopInstanceUid, r.SeriesInstanceUid);
            _checkers.Add(checker);
            return result;
        }
        catch
        {
            checker.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Records an admitted instance's path in the write-behind record, before its file is renamed into place: after a
    /// crash, the next start indexes it if its rows are missing.
    /// </summary>
    public void LogBehind(WriteBehindReservation reservation, string relativePath)
    {
        // Three validated UIDs and separators: a few hundred ASCII bytes at most, encoded without an allocation.
        int max = Encoding.UTF8.GetMaxByteCount(relativePath.Length) + 1;
        Span<byte> line = max <= 1024 ? stackalloc byte[max] : new byte[max];
        int length = Encoding.UTF8.GetBytes(relativePath, line);
        line[length++] = (byte)'\n';
        line = line[..length];
        lock (_behindLock)
        {
            _behindLog ??= File.OpenHandle(_behindLogPath!, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.Write(_behindLog, line, _behindLogBytes);
            _behindLogBytes += line.Length;
            _behindOutstanding++;
            reservation.Logged = true;
        }
    }

    /// <summary>Withdraws an admitted instance that will not be stored (its rename failed).</summary>
    public void CancelBehind(WriteBehindReservation reservation)
    {
        lock (_behindLock)
        {
            Release(reservation);
            if (reservation.Logged) _behindOutstanding--;
            reservation.Logged = false;
        }
    }

    // Under _behindLock.
    private void Release(WriteBehindReservation reservation)
    {
        if (reservation.Released) return;
        reservation.Released = true;
        var r = reservation.Record;
        if (_inFlightSops.TryGetValue(r.SopInstanceUid, out var sop))
        {
            if (sop.Count <= 1) _inFlightSops.Remove(r.SopInstanceUid);
            else _inFlightSops[r.SopInstanceUid] = sop with { Count = sop.Count - 1 };
        }
        if (_inFlightSeries.TryGetValue(r.SeriesInstanceUid, out var series))
        {
            if (series.Count <= 1) _inFlightSeries.Remove(r.SeriesInstanceUid);
            else _inFlightSeries[r.SeriesInstanceUid] = series with { Count = series.Count - 1 };
        }
    }

    /// <summary>Queues the rows of an admitted instance whose file is in place; a background leader commits them.</summary>
    public void StoreBehind(WriteBehindReservation reservation, bool enqueueWork, string workKind = "inference")
    {
        var request = new StoreRequest(reservation.Record, enqueueWork, workKind, null) { Behind = reservation };
        Interlocked.Increment(ref _behindQueued);
        _storeQueue.Enqueue(request);
        Volatile.Write(ref _lastBehind, request);
        RequestBehindCommit();
    }

    // A full batch is committed at the next idle moment; fewer rows wait (BehindCommitDelay) for others to join them,
    // and then a pool thread commits whatever is queued. A query or a full queue does not wait for either
    // (OpenForReadAsync, MaxBehindQueued).
    private void RequestBehindCommit()
    {
        if (_storeQueue.Count >= BehindBatchTarget)
        {
            if (Interlocked.Exchange(ref _committerScheduled, 1) == 0) ScheduleCommitter();
        }
        else if (Interlocked.Exchange(ref _behindTimerArmed, 1) == 0)
        {
            // Armed once per wait; a timer left armed by a commit that took the rows meanwhile fires for nothing.
            var timer = Volatile.Read(ref _behindTimer);
            if (timer is null)
            {
                // Disposed (or being disposed): no new timer to fire on it. The drain commits what it finds; a row
                // queued after it is in the write-behind record, indexed at the next start.
                if (Volatile.Read(ref _disposed) != 0) { Volatile.Write(ref _behindTimerArmed, 0); return; }
                var created = new Timer(static self => ((SqlArchiveIndex)self!).OnBehindTimer(), this, Timeout.Infinite, Timeout.Infinite);
                timer = Interlocked.CompareExchange(ref _behindTimer, created, null) ?? created;
                if (timer != created) created.Dispose();
            }
            try { timer.Change(BehindCommitDelay, Timeout.InfiniteTimeSpan); }
            catch (ObjectDisposedException) { Volatile.Write(ref _behindTimerArmed, 0); } // the index is being disposed: its drain commits
        }
    }

    private void OnBehindTimer()
    {
        Volatile.Write(ref _behindTimerArmed, 0);
        if (!_storeQueue.IsEmpty && Interlocked.Exchange(ref _committerScheduled, 1) == 0) _ = RunCommitterAsync();
    }

    // Under _committerScheduled = 1.
    private void ScheduleCommitter()
    {
        // On an association's receive thread the commit runs there once the answer is sent and the thread would wait
        // for the peer's next data: no hand-over to another thread (a wake-up and a context switch per batch).
        if (EdgeCancer.Dicom.Network.ReceiveThread.Current is { } here) here.WhenIdle(() => _ = CommitWhenIdleAsync());
        else ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.RunCommitterAsync(), this, preferLocal: false);
    }

    // On a receive thread's idle moment: one batch, then this thread goes back to its peer; what is queued meanwhile
    // waits for the next idle moment of whichever thread schedules it (a thread never commits for others for long).
    private async Task CommitWhenIdleAsync()
    {
        await LeadStoresAsync(_sqliteWriter!, oneBatch: true).ConfigureAwait(false);
        Volatile.Write(ref _committerScheduled, 0);
        if (!_storeQueue.IsEmpty && _writeLock.CurrentCount > 0) RequestBehindCommit();
    }

    // A leader on the thread pool now, whether or not a committer is scheduled (one may be waiting for its thread's
    // idle moment); leaders exclude each other through the write lock.
    private void LeadOnThreadPool() =>
        ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.LeadStoresAsync(self._sqliteWriter!), this, preferLocal: false);

    private async Task RunCommitterAsync()
    {
        while (true)
        {
            await LeadStoresAsync(_sqliteWriter!).ConfigureAwait(false);
            Volatile.Write(ref _committerScheduled, 0);
            // A holder of the write lock looks at the queue after it releases the lock: nothing is left behind when
            // this leaves it to that holder.
            if (_storeQueue.IsEmpty || _writeLock.CurrentCount == 0 || Interlocked.Exchange(ref _committerScheduled, 1) != 0) return;
        }
    }

    // After the batch of a write-behind store: releases its admission, and reports an instance that was acknowledged
    // but could not be indexed (it stays in the record, to be indexed again at the next start).
    private void CompleteBehind(StoreRequest request, WriteBehindReservation reservation)
    {
        Interlocked.Decrement(ref _behindQueued);
        bool stored = request.Error is null && request.Result is { IsStored: true };
        if (!stored)
        {
            var reason = request.Error?.Message ?? request.Result?.Message ?? "not stored";
            IndexLog.BehindNotIndexed(_logger, reservation.Record.SopInstanceUid, reservation.Record.FilePath, reason);
            // Later stores commit before they are answered, until a commit succeeds again.
            if (request.Error is not null) _behindFaulted = true;
        }
        else _behindFaulted = false;
        lock (_behindLock)
        {
            Release(reservation);
            if (stored && reservation.Logged) _behindOutstanding--;
            if (_behindOutstanding == 0 && _behindLogBytes >= BehindLogTruncateBytes && _behindLog is not null)
            {
                RandomAccess.SetLength(_behindLog, 0);
                _behindLogBytes = 0;
            }
        }
    }

    /// <summary>The relative paths in the write-behind record (from an earlier run), each once, in order.</summary>
    public IReadOnlyList<string> ReadWriteBehindLog()
    {
        if (_behindLogPath is null || !File.Exists(_behindLogPath)) return [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var paths = new List<string>();
        using var stream = new FileStream(_behindLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // A line torn by a crash in the middle of its write ends without a newline; it names no file that exists.
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && seen.Add(line)) paths.Add(line);
        return paths;
    }

    /// <summary>
    /// Empties the write-behind record once its instances are indexed; from then on stores may be written behind
    /// (when <see cref="IndexOptions.WriteBehind"/> is on).
    /// </summary>
    public void ClearWriteBehindLog()
    {
        if (_behindLogPath is null) return;
        if (!_options.WriteBehind)
        {
            // Nothing will be written behind: the record of an earlier run, now replayed, goes.
            if (File.Exists(_behindLogPath)) File.Delete(_behindLogPath);
            return;
        }
        lock (_behindLock)
        {
            _behindLog ??= File.OpenHandle(_behindLogPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.SetLength(_behindLog, 0);
            _behindLogBytes = 0;
            _behindOutstanding = 0;
        }
        _behindReady = true;
    }

    // The read barrier: a query waits for the rows of every instance acknowledged before it. Batches commit in queue
    // order, one at a time, so the last queued write-behind store completing means every earlier one has committed.
    private async Task<DbConnection> OpenForReadAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _lastBehind) is { } last && !last.Done.Task.IsCompleted)
        {
            if (!_storeQueue.IsEmpty && _writeLock.CurrentCount > 0) LeadOnThreadPool();
            await ((Task)last.Done.Task).WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ct.ThrowIfCancellationRequested();
        }
        return await OpenAsync(ct).ConfigureAwait(false);
    }

    // On disposal (the node stopping): the rows of every acknowledged instance are committed first, so a graceful stop
    // leaves nothing for the next start to replay. Bounded: a commit that cannot finish leaves them to the replay.
    private async Task DrainWriteBehindAsync()
    {
        if (Volatile.Read(ref _lastBehind) is not { } last || last.Done.Task.IsCompleted) return;
        if (_writeLock.CurrentCount > 0) LeadOnThreadPool();
        await ((Task)last.Done.Task).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void DisposeWriteBehind()
    {
        Interlocked.Exchange(ref _behindTimer, null)?.Dispose();
        while (_checkers.TryTake(out var checker)) checker.Dispose();
        lock (_behindLock)
        {
            _behindLog?.Dispose();
            _behindLog = null;
        }
    }

    // The point query through SQLite's own API (SqliteStatement): the statement is stepped and reset in place, its two parameters bound
    // by position. Through SqliteCommand each look cost a reader object, an iterator and a name lookup per parameter,
    // about a third of the write-behind admission's CPU.
    private sealed class BehindChecker : IDisposable
    {
        private const string Sql = """
            SELECT st.study_instance_uid, se.series_instance_uid, 1
            FROM instance i JOIN series se ON i.series_fk = se.pk JOIN study st ON se.study_fk = st.pk
            WHERE i.sop_instance_uid = ?1
            UNION ALL
            SELECT st.study_instance_uid, NULL, 2
            FROM series se JOIN study st ON se.study_fk = st.pk
            WHERE se.series_instance_uid = ?2
            """;

        private readonly SqliteConnection _connection;
        private readonly SqliteStatement _look;

        public BehindChecker(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            try
            {
                _connection.Open();
                // A reader in WAL mode waits only while another connection recovers the WAL: as long as the index's own.
                SQLitePCL.raw.sqlite3_busy_timeout(_connection.Handle, 5000);
                _look = new SqliteStatement(_connection, Sql, "?1", "?2");
            }
            catch
            {
                _connection.Dispose();
                throw;
            }
        }

        public ((string Study, string Series)? Sop, string? SeriesStudy) Look(string sop, string series)
        {
            (string, string)? at = null;
            string? seriesStudy = null;
            try
            {
                _look.Bind(sop, series);
                while (_look.Step())
                {
                    var study = _look.Text(0);
                    if (_look.Int64(2) == 1) at = (study, _look.Text(1));
                    else seriesStudy = study;
                }
            }
            finally
            {
                // Reset at once: a statement left stepped keeps its read transaction, which holds back checkpoints.
                _look.Reset();
            }
            return (at, seriesStudy);
        }

        public void Dispose()
        {
            _look?.Dispose();
            _connection.Dispose();
        }
    }
}
