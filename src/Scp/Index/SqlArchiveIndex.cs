using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using EdgeCancer.Dicom;
using EdgeCancer.Scp.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// <see cref="IArchiveIndex"/> with Dapper over SQLite (WAL, busy timeout, writes serialized through one
/// semaphore: SQLite has one writer) or PostgreSQL (concurrent writers; work claims with FOR UPDATE SKIP LOCKED).
/// Call <see cref="InitializeAsync"/> once at start to apply migrations.
/// </summary>
public sealed partial class SqlArchiveIndex : IArchiveIndex, IAsyncDisposable
{
    private readonly IndexOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly NpgsqlDataSource? _pg;
    private readonly string _sqliteConnectionString = "";
    private readonly FindQueryBuilder _findBuilder;
    private readonly SqliteInstanceWriter? _sqliteWriter;

    public SqlArchiveIndex(IOptions<IndexOptions> options, ILogger<SqlArchiveIndex>? logger = null, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Dialect = SqlDialect.For(_options.Dialect);
        _findBuilder = new FindQueryBuilder(Dialect);
        if (_options.Dialect == IndexDialect.PostgreSql)
        {
            _pg = NpgsqlDataSource.Create(_options.ConnectionString);
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(_options.ConnectionString)
            {
                DefaultTimeout = (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds),
                Pooling = true,
            };
            _sqliteConnectionString = builder.ToString();
            _sqliteWriter = new SqliteInstanceWriter(_sqliteConnectionString, _options.BusyTimeout, SynchronousMode(), _options.DuplicatePolicy, _logger);
            if (!string.IsNullOrEmpty(builder.DataSource) && builder.Mode != SqliteOpenMode.Memory && builder.DataSource != ":memory:")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(builder.DataSource))!);
                // Known even with write-behind off: a record left by a run with it on is still replayed at start.
                _behindLogPath = Path.GetFullPath(builder.DataSource) + WriteBehindLogSuffix;
            }
        }
    }

    public SqlDialect Dialect { get; }

    /// <summary>True on SQLite (the dialect whose write-ahead log <see cref="IndexCheckpointer"/> checkpoints).</summary>
    public bool IsSqlite => _pg is null;

    /// <summary>
    /// WAL pages after which a committing SQLite connection checkpoints by itself (SQLite's default is 1000, about
    /// 100 instances). <see cref="IndexCheckpointer"/> checkpoints every second off the store path; this higher bound
    /// only caps the log (40 MB) where it does not run.
    /// </summary>
    internal const int WalAutoCheckpointPages = 10_000;

    /// <summary>
    /// SQLite: copies the write-ahead log into the database (PRAGMA wal_checkpoint(PASSIVE): as far as no reader
    /// needs the log, without waiting for writers), with its fsyncs, off the store path. PostgreSQL: nothing.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken ct)
    {
        if (_pg is not null) return;
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(PASSIVE);", cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Applies pending migrations and, on SQLite, switches the database to WAL.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        if (_pg is null)
        {
            await using var connection = new SqliteConnection(_sqliteConnectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        }
        await IndexMigrator.MigrateAsync(_options.Dialect, _pg is null ? _sqliteConnectionString : _options.ConnectionString, _logger, ct)
            .ConfigureAwait(false);
    }

    /// <summary>Opens a connection to the index database for reads by other parts of the node (Dapper).</summary>
    public Task<DbConnection> OpenReadConnectionAsync(CancellationToken ct) => OpenForReadAsync(ct);

    /// <summary>Runs a write on the index database; on SQLite serialized with the archive's own writes.</summary>
    public Task<T> ExecuteWriteAsync<T>(Func<DbConnection, Task<T>> action, CancellationToken ct) => WriteAsync(action, ct);

    /// <summary>Queues a work item of <paramref name="kind"/> for an instance (e.g. forwarding a report).</summary>
    public Task<long> EnqueueWorkAsync(string kind, string sopInstanceUid, string studyInstanceUid, string seriesInstanceUid, CancellationToken ct)
    {
        var now = NowMs();
        return WriteAsync(async connection => await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            IndexStatements.InsertWork, new { sop = sopInstanceUid, study = studyInstanceUid, series = seriesInstanceUid, kind, now }, cancellationToken: ct)).ConfigureAwait(false), ct);
    }

    /// <summary>Counts work items of a series that are not finished (pending or claimed), optionally of one kind.</summary>
    public async Task<long> CountOpenWorkAsync(string seriesInstanceUid, string? kind, CancellationToken ct)
    {
        await using var connection = await OpenForReadAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM work_queue WHERE series_instance_uid = @series AND state IN ('pending','claimed') AND (CAST(@kind AS TEXT) IS NULL OR kind = @kind)",
            new { series = seriesInstanceUid, kind }, cancellationToken: ct)).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_pg is not null) return await _pg.OpenConnectionAsync(ct).ConfigureAwait(false);
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var busyMs = (long)_options.BusyTimeout.TotalMilliseconds;
        await connection.ExecuteAsync($"PRAGMA busy_timeout={busyMs}; PRAGMA synchronous={SynchronousMode()}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={WalAutoCheckpointPages};")
            .ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Makes every committed transaction durable: on SQLite a commit under <c>synchronous=FULL</c>, whose fsync of
    /// the WAL covers the earlier commits under <c>synchronous=NORMAL</c> (which are not synced; NORMAL syncs the
    /// database file after each checkpoint, so OFF is not enough), on PostgreSQL a synchronously committed
    /// transaction, whose WAL flush covers every earlier asynchronous commit. The ingest journal's checkpoint calls it.
    /// </summary>
    public async Task SyncAsync(CancellationToken ct)
    {
        if (_pg is not null)
        {
            await using var connection = await _pg.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            // txid_current() gives the transaction an id, so its commit writes a record and waits for the flush.
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL synchronous_commit TO ON; SELECT txid_current();", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return;
        }
        // A commit under synchronous=FULL fsyncs the WAL file, which makes every frame in it durable, including those
        // of earlier NORMAL commits; their checkpoints into the database file are synced under NORMAL already. The
        // header write (user_version set to itself) gives the commit a frame to write. Files are not opened directly:
        // closing any descriptor of a file drops all of this process's POSIX locks on it, and a SQLite connection in
        // another process (sqlite3, a reader) would then think it was the last one and delete the WAL under us.
        await WriteAsync(async connection =>
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA synchronous=FULL;", cancellationToken: ct)).ConfigureAwait(false);
            try
            {
                var version = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA user_version;", cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition(
                    "PRAGMA user_version = " + version.ToString(CultureInfo.InvariantCulture) + ";", cancellationToken: ct)).ConfigureAwait(false);
            }
            finally
            {
                await connection.ExecuteAsync($"PRAGMA synchronous={SynchronousMode()};").ConfigureAwait(false);
            }
            return true;
        }, ct).ConfigureAwait(false);
    }

    private string SynchronousMode() => _options.SqliteSynchronous.ToUpperInvariant() switch
    {
        "OFF" => "OFF",
        "NORMAL" => "NORMAL",
        "EXTRA" => "EXTRA",
        _ => "FULL",
    };

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Runs a write; on SQLite only one at a time in this process (SQLite's lock serializes processes).</summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> action, CancellationToken ct)
    {
        if (_pg is not null)
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            return await action(connection).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
            // Stores that queued while this write held the lock wait for a leader: be sure one comes.
            if (!_storeQueue.IsEmpty && _sqliteWriter is { } writer) _ = Task.Run(() => LeadStoresAsync(writer), CancellationToken.None);
        }
    }

    // ---------------------------------------------------------------- store

    public async Task<StoreResult> StoreInstanceAsync(InstanceRecord record, bool enqueueWork, CancellationToken ct,
        Func<CancellationToken, ValueTask>? beforeCommit = null, string workKind = "inference")
    {
        if (_sqliteWriter is { } writer) return await StoreGroupedAsync(writer, new StoreRequest(record, enqueueWork, workKind, beforeCommit)).ConfigureAwait(false);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await WriteAsync(connection => StoreInTransactionAsync(connection, record, enqueueWork, workKind, beforeCommit, ct), ct)
                    .ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && attempt < 3)
            {
                // Two associations stored the same new UID at once; the retry sees the other's row.
                IndexLog.RetryingUniqueViolation(_logger, record.SopInstanceUid, attempt);
            }
        }
    }

    /// <summary>Most instances committed in one SQLite transaction.</summary>
    internal const int MaxStoreBatch = 32;

    private readonly System.Collections.Concurrent.ConcurrentQueue<StoreRequest> _storeQueue = new();
    private long _storeBatches;

    /// <summary>SQLite transactions the store path has run (each holds one or more instances), for tests and diagnostics.</summary>
    internal long StoreBatches => Interlocked.Read(ref _storeBatches);

    // Group commit on SQLite (one writer): each store queues its request; whoever gets the write lock stores every
    // request queued by then (up to MaxStoreBatch) in one transaction, on its own thread, releases the lock, completes
    // them, and looks again. A lone association is its own leader (no hand-over to another thread). With several, one
    // commit serves all the rows queued meanwhile and their owners resume on the leader's thread, without a trip
    // through the thread pool. No request is left behind: a store that finds the lock taken only waits for its
    // completion, and the holder looks at the queue again after it releases the lock, which is after that store queued.
    private async Task<StoreResult> StoreGroupedAsync(SqliteInstanceWriter writer, StoreRequest request)
    {
        var home = EdgeCancer.Dicom.Network.ReceiveThread.Current;
        _storeQueue.Enqueue(request);
        await LeadStoresAsync(writer).ConfigureAwait(false);
        if (request.Done.Task.IsCompleted) return await request.Done.Task.ConfigureAwait(false);
        // Another leader stores it and completes it on its own thread (synchronous continuation). A C-STORE of an
        // association with a receive thread goes on there as far as sending its response (a few microseconds, no
        // blocking): the sender gets its answer without waiting for that thread to wake, and the receive loop goes
        // back to its own thread before it reads again (DimseChannel). Anything else moves to the thread pool at once,
        // so that the leader's thread is not kept (an inference worker would run its next analysis on it).
        await ((Task)request.Done.Task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (home is null) await Task.Yield();
        return await request.Done.Task.ConfigureAwait(false);
    }

    // Stores queued requests while the lock is free. Not cancellable: a batch holds other associations' requests, whose
    // files are renamed inside it.
    private async Task LeadStoresAsync(SqliteInstanceWriter writer, bool oneBatch = false)
    {
        for (bool first = true; (first || !oneBatch) && !_storeQueue.IsEmpty && _writeLock.Wait(0); first = false)
        {
            var batch = new List<StoreRequest>();
            try
            {
                while (batch.Count < MaxStoreBatch && _storeQueue.TryDequeue(out var next)) batch.Add(next);
                if (batch.Count > 0)
                {
                    await writer.StoreBatchAsync(batch, NowMs(), CancellationToken.None).ConfigureAwait(false);
                    Interlocked.Increment(ref _storeBatches);
                }
            }
            catch (Exception e)
            {
                foreach (var r in batch) r.Error ??= e;
            }
            finally
            {
                _writeLock.Release();
            }
            foreach (var r in batch)
            {
                if (r.Behind is { } behind) CompleteBehind(r, behind);
                else if (r.Error is null) _behindFaulted = false;
                if (r.Error is { } error) r.Done.TrySetException(error);
                else r.Done.TrySetResult(r.Result!.Value);
            }
        }
    }

    private sealed class ExistingInstance
    {
        public long Pk { get; set; }
        public string StudyUid { get; set; } = "";
        public string SeriesUid { get; set; } = "";
    }

    private async Task<StoreResult> StoreInTransactionAsync(DbConnection connection, InstanceRecord r, bool enqueueWork, string workKind,
        Func<CancellationToken, ValueTask>? beforeCommit, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (_pg is not null && _options.AsynchronousCommit)
            await connection.ExecuteAsync(new CommandDefinition("SET LOCAL synchronous_commit TO OFF", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
        var now = NowMs();
        var existing = await connection.QuerySingleOrDefaultAsync<ExistingInstance>(new CommandDefinition(
            """
            SELECT i.pk AS Pk, st.study_instance_uid AS StudyUid, se.series_instance_uid AS SeriesUid
            FROM instance i JOIN series se ON i.series_fk = se.pk JOIN study st ON se.study_fk = st.pk
            WHERE i.sop_instance_uid = @uid
            """, new { uid = r.SopInstanceUid }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.StudyUid != r.StudyInstanceUid || existing.SeriesUid != r.SeriesInstanceUid)
            {
                var message = $"SOP Instance UID already stored in another {(existing.StudyUid != r.StudyInstanceUid ? "study" : "series")}";
                IndexLog.HierarchyConflict(_logger, r.SopInstanceUid, message);
                return new StoreResult(StoreOutcome.HierarchyConflict, null, message);
            }
            if (_options.DuplicatePolicy == DuplicatePolicy.Ignore)
                return new StoreResult(StoreOutcome.DuplicateIgnored);
        }

        var patientPk = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            IndexStatements.UpsertPatient,
            new
            {
                id = Clean(r.PatientId) ?? "", issuer = Clean(r.IssuerOfPatientId) ?? "", name = Clean(r.PatientName),
                birth = Clean(r.PatientBirthDate), sex = Clean(r.PatientSex), extra = Json(r.PatientExtra),
            }, tx, cancellationToken: ct)).ConfigureAwait(false);

        // A study keeps the patient it was first stored under.
        var studyPk = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            IndexStatements.UpsertStudy,
            new
            {
                patient = patientPk, uid = r.StudyInstanceUid, date = Clean(r.StudyDate), time = Clean(r.StudyTime),
                timeN = MatchValues.NormalizeTime(Clean(r.StudyTime)), accession = Clean(r.AccessionNumber), studyId = Clean(r.StudyId),
                description = Clean(r.StudyDescription), referring = Clean(r.ReferringPhysicianName),
                charset = Clean(r.SpecificCharacterSet), extra = Json(r.StudyExtra), now,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);

        var series = await connection.QuerySingleAsync<(long Pk, long StudyFk)>(new CommandDefinition(
            IndexStatements.UpsertSeries,
            new
            {
                study = studyPk, uid = r.SeriesInstanceUid, modality = Clean(r.Modality), number = r.SeriesNumber,
                description = Clean(r.SeriesDescription), bodyPart = Clean(r.BodyPartExamined), manufacturer = Clean(r.Manufacturer),
                model = Clean(r.ManufacturerModelName), date = Clean(r.SeriesDate), time = Clean(r.SeriesTime),
                timeN = MatchValues.NormalizeTime(Clean(r.SeriesTime)), extra = Json(r.SeriesExtra), now,
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (series.StudyFk != studyPk)
        {
            await tx.RollbackAsync(ct).ConfigureAwait(false);
            const string message = "Series Instance UID already stored in another study";
            IndexLog.HierarchyConflict(_logger, r.SopInstanceUid, message);
            return new StoreResult(StoreOutcome.HierarchyConflict, null, message);
        }

        var instance = new
        {
            series = series.Pk, uid = r.SopInstanceUid, sopClass = r.SopClassUid, number = r.InstanceNumber, ts = Clean(r.TransferSyntaxUid),
            date = Clean(r.ContentDate), time = Clean(r.ContentTime), timeN = MatchValues.NormalizeTime(Clean(r.ContentTime)),
            completion = Clean(r.CompletionFlag), verification = Clean(r.VerificationFlag), preliminary = Clean(r.PreliminaryFlag),
            codeValue = Clean(r.ConceptNameCodeValue), codeScheme = Clean(r.ConceptNameCodingSchemeDesignator),
            codeMeaning = Clean(r.ConceptNameCodeMeaning), imageType = Clean(r.ImageType), rows = r.Rows, columns = r.Columns,
            frames = r.NumberOfFrames, path = r.FilePath, size = r.FileSize, sha = Clean(r.Sha256), charset = Clean(r.SpecificCharacterSet),
            extra = Json(r.InstanceExtra), now,
        };
        if (existing is null)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                IndexStatements.InsertInstance, instance, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        else
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE instance SET sop_class_uid = @sopClass, instance_number = @number, transfer_syntax_uid = @ts, content_date = @date,
                    content_time = @time, content_time_n = @timeN, completion_flag = @completion, verification_flag = @verification,
                    preliminary_flag = @preliminary, concept_code_value = @codeValue, concept_coding_scheme = @codeScheme,
                    concept_code_meaning = @codeMeaning, image_type = @imageType, image_rows = @rows, image_columns = @columns,
                    number_of_frames = @frames, file_path = @path, file_size = @size, sha256 = @sha, specific_character_set = @charset,
                    extra_json = @extra, received_at = @now
                WHERE sop_instance_uid = @uid
                """, instance, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        long? workId = null;
        if (enqueueWork)
        {
            workId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO work_queue (sop_instance_uid, study_instance_uid, series_instance_uid, kind, state, attempts, available_at, created_at)
                VALUES (@sop, @study, @series, @kind, 'pending', 0, @now, @now)
                RETURNING id
                """, new { sop = r.SopInstanceUid, study = r.StudyInstanceUid, series = r.SeriesInstanceUid, kind = workKind, now },
                tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        if (beforeCommit is not null) await beforeCommit(ct).ConfigureAwait(false);
        await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return new StoreResult(existing is null ? StoreOutcome.Added : StoreOutcome.Replaced, workId);
    }

    private static string? Clean(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim(' ', '\0');
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string? Json(IReadOnlyDictionary<DicomTag, string>? extra)
    {
        if (extra is null || extra.Count == 0) return null;
        var map = extra.ToDictionary(kv => kv.Key.Value.ToString("X8", CultureInfo.InvariantCulture), kv => kv.Value);
        return JsonSerializer.Serialize(map);
    }

    public async Task<IndexedInstance?> FindInstanceAsync(string sopInstanceUid, CancellationToken ct)
    {
        await using var connection = await OpenForReadAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<InstanceRow>(new CommandDefinition(
            """
            SELECT i.sop_instance_uid AS SopInstanceUid, i.sop_class_uid AS SopClassUid, st.study_instance_uid AS StudyInstanceUid,
                   se.series_instance_uid AS SeriesInstanceUid, i.file_path AS FilePath, i.file_size AS FileSize,
                   i.transfer_syntax_uid AS TransferSyntaxUid
            FROM instance i JOIN series se ON i.series_fk = se.pk JOIN study st ON se.study_fk = st.pk
            WHERE i.sop_instance_uid = @uid
            """, new { uid = sopInstanceUid }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null
            : new IndexedInstance(row.SopInstanceUid, row.SopClassUid, row.StudyInstanceUid, row.SeriesInstanceUid, row.FilePath, row.FileSize, row.TransferSyntaxUid);
    }

    private sealed class InstanceRow
    {
        public string SopInstanceUid { get; set; } = "";
        public string SopClassUid { get; set; } = "";
        public string StudyInstanceUid { get; set; } = "";
        public string SeriesInstanceUid { get; set; } = "";
        public string FilePath { get; set; } = "";
        public long FileSize { get; set; }
        public string? TransferSyntaxUid { get; set; }
    }

    // ---------------------------------------------------------------- work queue

    private const string WorkColumns =
        "id AS Id, sop_instance_uid AS SopInstanceUid, study_instance_uid AS StudyInstanceUid, series_instance_uid AS SeriesInstanceUid, " +
        "kind AS Kind, state AS State, claimed_by AS ClaimedBy, claimed_at AS ClaimedAt, attempts AS Attempts, last_error AS LastError, " +
        "created_at AS CreatedAt";

    private sealed class WorkRow
    {
        public long Id { get; set; }
        public string SopInstanceUid { get; set; } = "";
        public string StudyInstanceUid { get; set; } = "";
        public string SeriesInstanceUid { get; set; } = "";
        public string Kind { get; set; } = "";
        public string State { get; set; } = "";
        public string? ClaimedBy { get; set; }
        public long? ClaimedAt { get; set; }
        public int Attempts { get; set; }
        public string? LastError { get; set; }
        public long CreatedAt { get; set; }

        public WorkItem ToItem() => new(Id, SopInstanceUid, StudyInstanceUid, SeriesInstanceUid, Kind, State, ClaimedBy,
            ClaimedAt is { } c ? DateTimeOffset.FromUnixTimeMilliseconds(c) : null, Attempts, LastError, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt));
    }

    public Task<IReadOnlyList<WorkItem>> ClaimAsync(string workerId, int batch, CancellationToken ct) => ClaimAsync(workerId, batch, null, ct);

    /// <summary>Claims up to <paramref name="batch"/> items of one <paramref name="kind"/> (all kinds when null).</summary>
    public Task<IReadOnlyList<WorkItem>> ClaimAsync(string workerId, int batch, string? kind, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var now = NowMs();
        var stale = now - (long)_options.WorkLeaseTimeout.TotalMilliseconds;
        // PostgreSQL: concurrent claimers skip each other's locked rows. SQLite: one statement under the single writer
        // lock is atomic, so no row can be claimed twice.
        var lockClause = _pg is not null ? " FOR UPDATE SKIP LOCKED" : "";
        var sql =
            $"""
            UPDATE work_queue SET state = 'claimed', claimed_by = @worker, claimed_at = @now, attempts = attempts + 1
            WHERE id IN (SELECT id FROM work_queue
                         WHERE ((state = 'pending' AND available_at <= @now) OR (state = 'claimed' AND claimed_at < @stale))
                           AND (CAST(@kind AS TEXT) IS NULL OR kind = @kind)
                         ORDER BY id LIMIT @batch{lockClause})
            RETURNING {WorkColumns}
            """;
        return WriteAsync<IReadOnlyList<WorkItem>>(async connection =>
        {
            await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            var rows = await connection.QueryAsync<WorkRow>(new CommandDefinition(sql, new { worker = workerId, now, stale, batch, kind }, tx, cancellationToken: ct))
                .ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return rows.Select(r => r.ToItem()).OrderBy(w => w.Id).ToList();
        }, ct);
    }

    /// <summary>
    /// Returns to pending, at once, every claimed item whose claim <paramref name="isOrphaned"/> says outlived its
    /// claimer (e.g. <see cref="WorkerIds.OrphanedOnThisMachine"/> at start after a crash), instead of waiting for
    /// <see cref="IndexOptions.WorkLeaseTimeout"/>. The attempt the dead claim counted stays counted. Returns how many.
    /// </summary>
    public async Task<int> ReleaseOrphanedClaimsAsync(Func<string, DateTimeOffset, bool> isOrphaned, CancellationToken ct)
    {
        List<(string ClaimedBy, long ClaimedAt)> claims;
        await using (var connection = await OpenAsync(ct).ConfigureAwait(false))
        {
            claims = (await connection.QueryAsync<(string, long)>(new CommandDefinition(
                "SELECT claimed_by, MAX(claimed_at) FROM work_queue WHERE state = 'claimed' AND claimed_by IS NOT NULL GROUP BY claimed_by",
                cancellationToken: ct)).ConfigureAwait(false)).ToList();
        }
        var orphaned = claims.Where(c => isOrphaned(c.ClaimedBy, DateTimeOffset.FromUnixTimeMilliseconds(c.ClaimedAt))).Select(c => c.ClaimedBy).ToList();
        if (orphaned.Count == 0) return 0;
        var now = NowMs();
        return await WriteAsync(async connection =>
        {
            int released = 0;
            foreach (var worker in orphaned)
                released += await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE work_queue SET state = 'pending', claimed_by = NULL, available_at = @now WHERE state = 'claimed' AND claimed_by = @worker",
                    new { now, worker }, cancellationToken: ct)).ConfigureAwait(false);
            return released;
        }, ct).ConfigureAwait(false);
    }

    public Task<bool> CompleteAsync(long id, string workerId, CancellationToken ct) =>
        WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE work_queue SET state = 'done' WHERE id = @id AND claimed_by = @worker AND state = 'claimed'",
            new { id, worker = workerId }, cancellationToken: ct)).ConfigureAwait(false) == 1, ct);

    public Task<bool> FailAsync(long id, string workerId, string error, bool retry, TimeSpan retryDelay, CancellationToken ct)
    {
        var now = NowMs();
        return WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE work_queue SET
                state = CASE WHEN @retry AND attempts < @max THEN 'pending' ELSE 'failed' END,
                claimed_by = CASE WHEN @retry AND attempts < @max THEN NULL ELSE claimed_by END,
                available_at = @availableAt, last_error = @error
            WHERE id = @id AND claimed_by = @worker AND state = 'claimed'
            """,
            new { id, worker = workerId, retry, max = _options.MaxWorkAttempts, availableAt = now + (long)retryDelay.TotalMilliseconds, error },
            cancellationToken: ct)).ConfigureAwait(false) == 1, ct);
    }

    public async Task<WorkItem?> GetWorkItemAsync(long id, CancellationToken ct)
    {
        await using var connection = await OpenForReadAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<WorkRow>(new CommandDefinition(
            $"SELECT {WorkColumns} FROM work_queue WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToItem();
    }

    // ---------------------------------------------------------------- remote AEs

    private sealed class AeRow
    {
        public string AeTitle { get; set; } = "";
        public string Host { get; set; } = "";
        public int Port { get; set; }
        public int AllowedOperations { get; set; }
        public string? Description { get; set; }
        public RemoteAe ToAe() => new(AeTitle, Host, Port, (AeOperations)AllowedOperations, Description);
    }

    private const string AeColumns = "ae_title AS AeTitle, host AS Host, port AS Port, allowed_operations AS AllowedOperations, description AS Description";

    public Task UpsertRemoteAeAsync(RemoteAe ae, CancellationToken ct) =>
        WriteAsync(connection => connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO remote_ae (ae_title, host, port, allowed_operations, description) VALUES (@AeTitle, @Host, @Port, @Ops, @Description)
            ON CONFLICT (ae_title) DO UPDATE SET host = excluded.host, port = excluded.port,
                allowed_operations = excluded.allowed_operations, description = excluded.description
            """, new { ae.AeTitle, ae.Host, ae.Port, Ops = (int)ae.AllowedOperations, ae.Description }, cancellationToken: ct)), ct);

    public async Task<RemoteAe?> GetRemoteAeAsync(string aeTitle, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<AeRow>(new CommandDefinition(
            $"SELECT {AeColumns} FROM remote_ae WHERE ae_title = @aeTitle", new { aeTitle }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToAe();
    }

    public async Task<IReadOnlyList<RemoteAe>> ListRemoteAesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AeRow>(new CommandDefinition(
            $"SELECT {AeColumns} FROM remote_ae ORDER BY ae_title", cancellationToken: ct)).ConfigureAwait(false);
        return rows.Select(r => r.ToAe()).ToList();
    }

    public Task<bool> DeleteRemoteAeAsync(string aeTitle, CancellationToken ct) =>
        WriteAsync(async connection => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM remote_ae WHERE ae_title = @aeTitle", new { aeTitle }, cancellationToken: ct)).ConfigureAwait(false) == 1, ct);

    // ---------------------------------------------------------------- C-FIND

    /// <summary>Validates and translates a C-FIND identifier for this index's dialect.</summary>
    public FindPlanResult PlanFind(FindRequest request) => _findBuilder.Build(request);

    public async IAsyncEnumerable<FindResult> FindAsync(FindPlan plan, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await OpenForReadAsync(ct).ConfigureAwait(false);
        var parameters = new DynamicParameters();
        foreach (var (name, value) in plan.Parameters) parameters.Add(name, value);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(plan.Sql, parameters, cancellationToken: ct))
            .ConfigureAwait(false);
        var ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < reader.FieldCount; i++) ordinals[reader.GetName(i)] = i;
        // Providers may serve buffered rows without looking at the token; C-CANCEL must stop the stream at once.
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            ct.ThrowIfCancellationRequested();
            yield return ReadResult(plan, reader, ordinals);
        }
    }

    private static FindResult ReadResult(FindPlan plan, DbDataReader reader, Dictionary<string, int> ordinals)
    {
        string? Str(string name) => reader.IsDBNull(ordinals[name]) ? null : Convert.ToString(reader.GetValue(ordinals[name]), CultureInfo.InvariantCulture);
        var values = new Dictionary<DicomTag, string?>();
        var sequences = new Dictionary<DicomTag, IReadOnlyList<IReadOnlyDictionary<DicomTag, string?>>>();
        Dictionary<QueryLevel, Dictionary<string, string>?>? extras = null;
        foreach (var output in plan.Outputs)
        {
            switch (output.Source)
            {
                case OutputSource.Column:
                case OutputSource.IntegerColumn:
                    values[output.Tag] = Str(output.Alias!);
                    break;
                case OutputSource.CodeSequence:
                {
                    int first = ordinals[output.Alias!];
                    var item = new Dictionary<DicomTag, string?>();
                    var columns = new[] { QueryAttributes.CodeValue, QueryAttributes.CodingSchemeDesignator, QueryAttributes.CodeMeaning };
                    bool any = false;
                    for (int k = 0; k < 3; k++)
                    {
                        var v = reader.IsDBNull(first + k) ? null : reader.GetString(first + k);
                        any |= v is not null;
                        if (output.ItemTags!.Contains(columns[k])) item[columns[k]] = v;
                    }
                    sequences[output.Tag] = any ? [item] : [];
                    break;
                }
                case OutputSource.Extra:
                {
                    extras ??= [];
                    string? found = null;
                    for (var level = output.ExtraLevel; level >= QueryLevel.Patient && found is null; level--)
                    {
                        if (!extras.TryGetValue(level, out var map))
                        {
                            var json = ordinals.ContainsKey($"x_{(int)level}") ? Str($"x_{(int)level}") : null;
                            map = json is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(json);
                            extras[level] = map;
                        }
                        map?.TryGetValue(output.Tag.Value.ToString("X8", CultureInfo.InvariantCulture), out found);
                    }
                    values[output.Tag] = found;
                    break;
                }
            }
        }
        // Issuer of Patient ID is stored as '' when absent (it is part of the patient's identity).
        var issuer = new DicomTag(0x0010, 0x0021);
        if (values.TryGetValue(issuer, out var iv) && iv == "") values[issuer] = null;
        var size = Str("k_size");
        return new FindResult
        {
            Level = plan.Level,
            Values = values,
            Sequences = sequences,
            SpecificCharacterSet = Str("k_icharset") ?? Str("k_charset"),
            StudyInstanceUid = Str("k_study"),
            SeriesInstanceUid = Str("k_series"),
            SopInstanceUid = Str("k_sop"),
            SopClassUid = Str("k_class"),
            TransferSyntaxUid = Str("k_ts"),
            FilePath = Str("k_path"),
            FileSize = size is null ? null : long.Parse(size, CultureInfo.InvariantCulture),
        };
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // Both the host's container and a test's own cleanup may dispose the index: the second call does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_pg is not null) await _pg.DisposeAsync().ConfigureAwait(false);
        await DrainWriteBehindAsync().ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _sqliteWriter?.Dispose();
        DisposeWriteBehind();
        _writeLock.Dispose();
    }
}
