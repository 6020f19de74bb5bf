using System.Data;
using System.Globalization;
using System.Text.Json;
using EdgeCancer.Scp.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// The store path of <see cref="SqlArchiveIndex"/> on SQLite: one long-lived connection whose statements are prepared
/// once and re-bound for every instance, used only under the index's write lock (SQLite has one writer). Through
/// Dapper each store opened a pooled connection, ran three PRAGMAs and parsed seven statements again, and emitted
/// the same upserts of patient, study and series for every slice of a series.
/// </summary>
/// <remarks>
/// The patient, study and series values last written for a series are kept in memory (after commit only). When an
/// instance of that series brings the same values, the three upserts would change nothing but <c>updated_at</c>, so
/// only the study's and series' <c>updated_at</c> are set, by primary key and UID: a row deleted or re-created by
/// another process meanwhile matches no row, and the full upserts run instead. SQLite calls are synchronous
/// (Microsoft.Data.Sqlite's asynchronous methods run them on the caller's thread as well).
/// </remarks>
internal sealed class SqliteInstanceWriter(string connectionString, TimeSpan busyTimeout, string synchronous, DuplicatePolicy duplicatePolicy, ILogger logger) : IDisposable
{
    /// <summary>Series whose hierarchy values are remembered; past it the memory is cleared (a new batch of series).</summary>
    private const int MaxCachedSeries = 256;

    private SqliteConnection? _connection;
    private Statements? _s;
    private readonly Dictionary<string, CachedSeries> _known = new(StringComparer.Ordinal);

    private sealed record HierarchyValues(
        string PatientId, string Issuer, string? PatientName, string? BirthDate, string? Sex, string? PatientExtra,
        string StudyUid, string? StudyDate, string? StudyTime, string? Accession, string? StudyId, string? StudyDescription,
        string? Referring, string? Charset, string? StudyExtra,
        string SeriesUid, string? Modality, int? SeriesNumber, string? SeriesDescription, string? BodyPart, string? Manufacturer,
        string? Model, string? SeriesDate, string? SeriesTime, string? SeriesExtra);

    private readonly record struct CachedSeries(HierarchyValues Values, long StudyPk, long SeriesPk);

    private sealed class Statements
    {
        public required SqliteStatement FindExisting, UpsertPatient, UpsertStudy, UpsertSeries, TouchStudy, TouchSeries,
            InsertInstance, UpdateInstance, InsertWork, Savepoint, Release, RollbackTo;

        public IEnumerable<SqliteStatement> All => [FindExisting, UpsertPatient, UpsertStudy, UpsertSeries, TouchStudy, TouchSeries, InsertInstance, UpdateInstance, InsertWork,
            Savepoint, Release, RollbackTo];
    }

    /// <summary>
    /// Stores the rows of every request in one transaction, in order, each request's <see cref="StoreRequest.BeforeCommit"/>
    /// right after its rows (the file's rename). A request that fails is rolled back alone (a savepoint each when there
    /// are several) and gets its <see cref="StoreRequest.Error"/>; the others commit. One commit for several instances
    /// writes the pages they share (the tables' last leaf pages, the index pages, the study and series rows) once.
    /// </summary>
    public async Task StoreBatchAsync(IReadOnlyList<StoreRequest> batch, long now, CancellationToken ct)
    {
        var (connection, s) = Open();
        bool several = batch.Count > 1;
        var touched = new List<(string SeriesUid, CachedSeries Cached)>(batch.Count);
        // Series whose rows an earlier request of this batch wrote (and kept): a later slice with the same values needs
        // no hierarchy statement at all, since the transaction already holds those rows with this batch's time.
        var written = several ? new Dictionary<string, CachedSeries>(StringComparer.Ordinal) : null;
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var request in batch)
            {
                if (several) s.Savepoint.Execute();
                try
                {
                    var (result, cached) = StoreRow(s, request.Record, request.EnqueueWork, request.WorkKind, now, written,
                        several ? () => s.RollbackTo.Execute() : tx.Rollback);
                    if (Writes(result) && request.BeforeCommit is not null) await request.BeforeCommit(ct).ConfigureAwait(false);
                    request.Result = result;
                    if (cached is { } c)
                    {
                        touched.Add((request.Record.SeriesInstanceUid, c));
                        // Only now: a request rolled back to its savepoint (its rename failed) took its upserts with it.
                        if (written is not null) written[request.Record.SeriesInstanceUid] = c;
                    }
                }
                catch (Exception e) when (several)
                {
                    // This request alone (its rename failed, a constraint its values break): the others still commit.
                    // When the failure ended the whole transaction (disk full, I/O error), the rollback to the
                    // savepoint fails too, and the batch fails as one with this request's error.
                    try { s.RollbackTo.Execute(); }
                    catch (SqliteException) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e); }
                    request.Error = e;
                }
                if (several) s.Release.Execute();
                if (!several && request.Result is { } only && !Writes(only)) return; // rolled back, nothing to commit
            }
            tx.Commit();
        }
        catch (Exception e)
        {
            // A failed statement may leave the connection in any state: start again from a new one. Whatever was not
            // committed failed for every request of the batch that has no outcome of its own yet.
            if (e is SqliteException) Reset();
            _known.Clear();
            foreach (var request in batch)
            {
                if (request.Error is null && (request.Result is not { } r || Writes(r))) request.Error = e;
                if (request.Error is not null) request.Result = null;
            }
            return;
        }
        foreach (var (seriesUid, cached) in touched)
        {
            if (_known.Count >= MaxCachedSeries && !_known.ContainsKey(seriesUid)) _known.Clear();
            _known[seriesUid] = cached;
        }
    }

    // True when the request's rows are written (and its file is to be renamed); false for the outcomes that write nothing.
    private static bool Writes(StoreResult result) => result.Outcome is StoreOutcome.Added or StoreOutcome.Replaced;

    // One instance's rows inside the open transaction. A conflict calls rollback (the transaction, or this request's
    // savepoint) and returns its outcome; on success returns the series values to remember once committed.
    private (StoreResult Result, CachedSeries? Cached) StoreRow(Statements s, InstanceRecord r, bool enqueueWork, string workKind, long now,
        Dictionary<string, CachedSeries>? written, Action rollback)
    {
        var values = ValuesOf(r);
        long? existingPk = null;
        string? studyUid = null, seriesUid = null;
        try
        {
            if (s.FindExisting.Bind(r.SopInstanceUid).Step())
                (existingPk, studyUid, seriesUid) = (s.FindExisting.Int64(0), s.FindExisting.Text(1), s.FindExisting.Text(2));
        }
        finally { s.FindExisting.Reset(); }
        if (existingPk is not null)
        {
            if (studyUid != r.StudyInstanceUid || seriesUid != r.SeriesInstanceUid)
            {
                var message = $"SOP Instance UID already stored in another {(studyUid != r.StudyInstanceUid ? "study" : "series")}";
                IndexLog.HierarchyConflict(logger, r.SopInstanceUid, message);
                rollback();
                return (new StoreResult(StoreOutcome.HierarchyConflict, null, message), null);
            }
            if (duplicatePolicy == DuplicatePolicy.Ignore)
            {
                rollback();
                return (new StoreResult(StoreOutcome.DuplicateIgnored), null);
            }
        }

        long seriesPk;
        long studyPk;
        if (written is not null && written.TryGetValue(values.SeriesUid, out var inBatch) && inBatch.Values == values)
        {
            (studyPk, seriesPk) = (inBatch.StudyPk, inBatch.SeriesPk);
        }
        else if (_known.TryGetValue(values.SeriesUid, out var cached) && cached.Values == values && Touch(s, cached, values, now))
        {
            (studyPk, seriesPk) = (cached.StudyPk, cached.SeriesPk);
        }
        else
        {
            var patientPk = s.UpsertPatient.Bind(values.PatientId, values.Issuer, values.PatientName, values.BirthDate, values.Sex, values.PatientExtra).ExecuteInt64();
            // A study keeps the patient it was first stored under.
            studyPk = s.UpsertStudy.Bind(patientPk, values.StudyUid, values.StudyDate, values.StudyTime, MatchValues.NormalizeTime(values.StudyTime),
                values.Accession, values.StudyId, values.StudyDescription, values.Referring, values.Charset, values.StudyExtra, now).ExecuteInt64();
            long seriesStudyFk;
            try
            {
                if (!s.UpsertSeries.Bind(studyPk, values.SeriesUid, values.Modality, values.SeriesNumber, values.SeriesDescription, values.BodyPart,
                    values.Manufacturer, values.Model, values.SeriesDate, values.SeriesTime, MatchValues.NormalizeTime(values.SeriesTime), values.SeriesExtra, now).Step())
                    throw new InvalidOperationException("The series upsert returned no row.");
                (seriesPk, seriesStudyFk) = (s.UpsertSeries.Int64(0), s.UpsertSeries.Int64(1));
            }
            finally { s.UpsertSeries.Reset(); }
            if (seriesStudyFk != studyPk)
            {
                rollback();
                const string message = "Series Instance UID already stored in another study";
                IndexLog.HierarchyConflict(logger, r.SopInstanceUid, message);
                return (new StoreResult(StoreOutcome.HierarchyConflict, null, message), null);
            }
        }

        var contentTime = Clean(r.ContentTime);
        var instance = existingPk is null ? s.InsertInstance : s.UpdateInstance;
        instance.Bind(seriesPk, r.SopInstanceUid, r.SopClassUid, r.InstanceNumber, Clean(r.TransferSyntaxUid), Clean(r.ContentDate),
            contentTime, MatchValues.NormalizeTime(contentTime), Clean(r.CompletionFlag), Clean(r.VerificationFlag), Clean(r.PreliminaryFlag),
            Clean(r.ConceptNameCodeValue), Clean(r.ConceptNameCodingSchemeDesignator), Clean(r.ConceptNameCodeMeaning), Clean(r.ImageType),
            r.Rows, r.Columns, r.NumberOfFrames, r.FilePath, r.FileSize, Clean(r.Sha256), Clean(r.SpecificCharacterSet), Json(r.InstanceExtra), now).Execute();

        long? workId = null;
        if (enqueueWork)
        {
            workId = s.InsertWork.Bind(r.SopInstanceUid, r.StudyInstanceUid, r.SeriesInstanceUid, workKind, now).ExecuteInt64();
        }
        return (new StoreResult(existingPk is null ? StoreOutcome.Added : StoreOutcome.Replaced, workId), new CachedSeries(values, studyPk, seriesPk));
    }

    // Sets updated_at of the study and series last written for these values; false when either row is not what was
    // cached (deleted or re-created elsewhere), and the caller upserts them instead.
    private static bool Touch(Statements s, CachedSeries cached, HierarchyValues values, long now)
    {
        if (s.TouchStudy.Bind(now, cached.StudyPk, values.StudyUid).Execute() != 1) return false;
        return s.TouchSeries.Bind(now, cached.SeriesPk, values.SeriesUid, cached.StudyPk).Execute() == 1;
    }

    private static HierarchyValues ValuesOf(InstanceRecord r) => new(
        Clean(r.PatientId) ?? "", Clean(r.IssuerOfPatientId) ?? "", Clean(r.PatientName), Clean(r.PatientBirthDate), Clean(r.PatientSex), Json(r.PatientExtra),
        r.StudyInstanceUid, Clean(r.StudyDate), Clean(r.StudyTime), Clean(r.AccessionNumber), Clean(r.StudyId), Clean(r.StudyDescription),
        Clean(r.ReferringPhysicianName), Clean(r.SpecificCharacterSet), Json(r.StudyExtra),
        r.SeriesInstanceUid, Clean(r.Modality), r.SeriesNumber, Clean(r.SeriesDescription), Clean(r.BodyPartExamined), Clean(r.Manufacturer),
        Clean(r.ManufacturerModelName), Clean(r.SeriesDate), Clean(r.SeriesTime), Json(r.SeriesExtra));

    internal static string? Clean(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim(' ', '\0');
        return trimmed.Length == 0 ? null : trimmed;
    }

    internal static string? Json(IReadOnlyDictionary<EdgeCancer.Dicom.DicomTag, string>? extra)
    {
        if (extra is null || extra.Count == 0) return null;
        var map = extra.ToDictionary(kv => kv.Key.Value.ToString("X8", CultureInfo.InvariantCulture), kv => kv.Value);
        return JsonSerializer.Serialize(map);
    }

    private (SqliteConnection, Statements) Open()
    {
        if (_connection is not null && _s is not null) return (_connection, _s);
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // temp_store=MEMORY: each request of a batch runs in its own savepoint, and SQLite keeps the pages a
                // savepoint may have to restore in a statement journal, which past 64 KiB went to a temp file in
                // /var/tmp (created, written page by page and deleted per batch: 1.3–1.8 writes per stored slice).
                pragma.CommandText = $"PRAGMA busy_timeout={(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; " +
                    $"PRAGMA wal_autocheckpoint={SqlArchiveIndex.WalAutoCheckpointPages}; PRAGMA temp_store=MEMORY;";
                pragma.ExecuteNonQuery();
            }
            var s = new Statements
            {
                FindExisting = Prepare(connection, """
                    SELECT i.pk, st.study_instance_uid, se.series_instance_uid
                    FROM instance i JOIN series se ON i.series_fk = se.pk JOIN study st ON se.study_fk = st.pk
                    WHERE i.sop_instance_uid = @uid
                    """, "@uid"),
                UpsertPatient = Prepare(connection, IndexStatements.UpsertPatient, "@id", "@issuer", "@name", "@birth", "@sex", "@extra"),
                UpsertStudy = Prepare(connection, IndexStatements.UpsertStudy, "@patient", "@uid", "@date", "@time", "@timeN", "@accession", "@studyId", "@description", "@referring", "@charset", "@extra", "@now"),
                UpsertSeries = Prepare(connection, IndexStatements.UpsertSeries, "@study", "@uid", "@modality", "@number", "@description", "@bodyPart", "@manufacturer", "@model", "@date", "@time", "@timeN", "@extra", "@now"),
                TouchStudy = Prepare(connection, "UPDATE study SET updated_at = @now WHERE pk = @pk AND study_instance_uid = @uid", "@now", "@pk", "@uid"),
                TouchSeries = Prepare(connection, "UPDATE series SET updated_at = @now WHERE pk = @pk AND series_instance_uid = @uid AND study_fk = @study",
                    "@now", "@pk", "@uid", "@study"),
                InsertInstance = Prepare(connection, IndexStatements.InsertInstance, InstanceParameters),
                UpdateInstance = Prepare(connection, """
                    UPDATE instance SET series_fk = @series, sop_class_uid = @sopClass, instance_number = @number, transfer_syntax_uid = @ts,
                        content_date = @date, content_time = @time, content_time_n = @timeN, completion_flag = @completion,
                        verification_flag = @verification, preliminary_flag = @preliminary, concept_code_value = @codeValue,
                        concept_coding_scheme = @codeScheme, concept_code_meaning = @codeMeaning, image_type = @imageType, image_rows = @rows,
                        image_columns = @columns, number_of_frames = @frames, file_path = @path, file_size = @size, sha256 = @sha,
                        specific_character_set = @charset, extra_json = @extra, received_at = @now
                    WHERE sop_instance_uid = @uid
                    """, InstanceParameters),
                InsertWork = Prepare(connection, IndexStatements.InsertWork, "@sop", "@study", "@series", "@kind", "@now"),
                Savepoint = Prepare(connection, "SAVEPOINT instance_row"),
                Release = Prepare(connection, "RELEASE instance_row"),
                RollbackTo = Prepare(connection, "ROLLBACK TO instance_row"),
            };
            (_connection, _s) = (connection, s);
            return (connection, s);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static readonly string[] InstanceParameters =
    [
        "@series", "@uid", "@sopClass", "@number", "@ts", "@date", "@time", "@timeN", "@completion", "@verification", "@preliminary",
        "@codeValue", "@codeScheme", "@codeMeaning", "@imageType", "@rows", "@columns", "@frames", "@path", "@size", "@sha", "@charset", "@extra", "@now",
    ];

    private static SqliteStatement Prepare(SqliteConnection connection, string sql, params string[] parameters) => new(connection, sql, parameters);

    private void Reset()
    {
        if (_s is not null)
            foreach (var c in _s.All) c.Dispose();
        _connection?.Dispose();
        (_connection, _s) = (null, null);
    }

    public void Dispose()
    {
        Reset();
        _known.Clear();
    }
}
