using Dapper;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Viewer.Api;

/// <summary>AI status of a study on the worklist.</summary>
public static class StudyAiStatus
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string NotAnalysed = "not analysed";
    public const string Failed = "failed";
}

/// <summary>A worklist row.</summary>
public sealed record WorklistStudy(string StudyInstanceUid, string? PatientName, string? PatientId, string? StudyDate, string? StudyTime,
    string? StudyDescription, string? AccessionNumber, IReadOnlyList<string> Modalities, long ImageCount, string AiStatus,
    double? MaxMalignancyProbability, bool Corrected);

/// <summary>Worklist filter; dates are DICOM DA (YYYYMMDD).</summary>
public sealed record WorklistQuery(string? From, string? To, string? Patient, string? Status, bool SortByPriority, int Limit = 500);

public sealed record SeriesRow
{
    public string SeriesInstanceUid { get; init; } = "";
    public string? Modality { get; init; }
    public long? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? BodyPartExamined { get; init; }
    public long InstanceCount { get; init; }
    public string? FirstSopInstanceUid { get; init; }
}

public sealed record InstanceRow
{
    public string SopInstanceUid { get; init; } = "";
    public string SopClassUid { get; init; } = "";
    public long? InstanceNumber { get; init; }
    public string? TransferSyntaxUid { get; init; }
    public long? Rows { get; init; }
    public long? Columns { get; init; }
    public long? NumberOfFrames { get; init; }
}

/// <summary>
/// The viewer's reads of the archive index (worklist, series and instance lists) as plain SQL over Dapper, written
/// to run unchanged on SQLite and PostgreSQL.
/// </summary>
public sealed class ArchiveQueries(SqlArchiveIndex index)
{
    private static readonly string[] NonImageModalities = ["SR", "KO", "PR"];

    private sealed record StudyRow
    {
        public string StudyInstanceUid { get; init; } = "";
        public string? PatientName { get; init; }
        public string? PatientId { get; init; }
        public string? StudyDate { get; init; }
        public string? StudyTime { get; init; }
        public string? StudyDescription { get; init; }
        public string? AccessionNumber { get; init; }
    }

    // Init-only properties, not positional records: SQLite reports a column's type per value (NULL, INTEGER), and
    // Dapper converts values only when it binds by property.
    private sealed record Count
    {
        public string Study { get; init; } = "";
        public string? K { get; init; }
        public long N { get; init; }
    }

    private sealed record AiAggregate
    {
        public string Study { get; init; } = "";
        public double? MaxMalignancy { get; init; }
        public long Done { get; init; }
        public long Failed { get; init; }
    }

    /// <summary>
    /// "column is one of @uids": Dapper expands a list into (@uids1, @uids2, …) for SQLite but passes it to Npgsql as
    /// one array parameter, which PostgreSQL matches with = ANY.
    /// </summary>
    private string InUids(string column) =>
        index.Dialect.Kind == IndexDialect.PostgreSql ? $"{column} = ANY(@uids)" : $"{column} IN @uids";

    public async Task<IReadOnlyList<WorklistStudy>> WorklistAsync(WorklistQuery q, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        var patient = string.IsNullOrWhiteSpace(q.Patient) ? null : "%" + q.Patient.Trim().ToLowerInvariant().Replace("%", "", StringComparison.Ordinal) + "%";
        var studies = (await c.QueryAsync<StudyRow>(new CommandDefinition(
            """
            SELECT st.study_instance_uid AS StudyInstanceUid, p.patient_name AS PatientName, p.patient_id AS PatientId, st.study_date AS StudyDate,
                   st.study_time AS StudyTime, st.study_description AS StudyDescription, st.accession_number AS AccessionNumber
            FROM study st JOIN patient p ON p.pk = st.patient_fk
            WHERE (CAST(@from AS TEXT) IS NULL OR st.study_date >= @from)
              AND (CAST(@to AS TEXT) IS NULL OR st.study_date <= @to)
              AND (CAST(@patient AS TEXT) IS NULL OR LOWER(p.patient_name) LIKE @patient OR LOWER(p.patient_id) LIKE @patient)
            ORDER BY st.updated_at DESC
            LIMIT @limit
            """, new { from = q.From, to = q.To, patient, limit = Math.Clamp(q.Limit, 1, 5000) }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (studies.Count == 0) return [];
        var uids = studies.Select(s => s.StudyInstanceUid).ToArray();
        var series = (await c.QueryAsync<Count>(new CommandDefinition(
            $"""
            SELECT st.study_instance_uid AS Study, se.modality AS K, COUNT(i.pk) AS N
            FROM study st JOIN series se ON se.study_fk = st.pk LEFT JOIN instance i ON i.series_fk = se.pk
            WHERE {InUids("st.study_instance_uid")} GROUP BY st.study_instance_uid, se.modality
            """, new { uids }, cancellationToken: ct)).ConfigureAwait(false)).ToLookup(r => r.Study);
        var work = (await c.QueryAsync<Count>(new CommandDefinition(
            $"SELECT study_instance_uid AS Study, state AS K, COUNT(*) AS N FROM work_queue WHERE kind = 'inference' AND {InUids("study_instance_uid")} GROUP BY study_instance_uid, state",
            new { uids }, cancellationToken: ct)).ConfigureAwait(false)).ToLookup(r => r.Study);
        var ai = (await c.QueryAsync<AiAggregate>(new CommandDefinition(
            $"""
            SELECT study_instance_uid AS Study, MAX(malignancy_probability) AS MaxMalignancy,
                   SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS Done, SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS Failed
            FROM ai_result WHERE {InUids("study_instance_uid")} GROUP BY study_instance_uid
            """, new { uids }, cancellationToken: ct)).ConfigureAwait(false)).ToDictionary(r => r.Study);
        var corrected = (await c.QueryAsync<string>(new CommandDefinition(
            $"SELECT DISTINCT study_instance_uid FROM corrections WHERE {InUids("study_instance_uid")}", new { uids }, cancellationToken: ct)).ConfigureAwait(false)).ToHashSet();

        var rows = new List<WorklistStudy>(studies.Count);
        foreach (var s in studies)
        {
            var mods = series[s.StudyInstanceUid].Where(x => x.K is not null).Select(x => x.K!).Distinct().Order(StringComparer.Ordinal).ToList();
            long images = series[s.StudyInstanceUid].Where(x => x.K is null || !NonImageModalities.Contains(x.K)).Sum(x => x.N);
            var states = work[s.StudyInstanceUid].ToDictionary(x => x.K ?? "", x => x.N);
            ai.TryGetValue(s.StudyInstanceUid, out var a);
            string status =
                states.GetValueOrDefault("pending") + states.GetValueOrDefault("claimed") > 0 ? StudyAiStatus.Pending
                : states.GetValueOrDefault("failed") > 0 || (a is not null && a.Failed > 0 && a.Done == 0) ? StudyAiStatus.Failed
                : a is not null && a.Done > 0 ? StudyAiStatus.Done
                : StudyAiStatus.NotAnalysed;
            rows.Add(new WorklistStudy(s.StudyInstanceUid, s.PatientName, s.PatientId, s.StudyDate, s.StudyTime, s.StudyDescription, s.AccessionNumber,
                mods, images, status, a?.MaxMalignancy, corrected.Contains(s.StudyInstanceUid)));
        }
        if (q.Status is { Length: > 0 } wanted) rows = rows.Where(r => string.Equals(r.AiStatus, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
        IEnumerable<WorklistStudy> ordered = q.SortByPriority
            ? rows.OrderByDescending(r => r.MaxMalignancyProbability ?? -1).ThenByDescending(r => r.StudyDate).ThenByDescending(r => r.StudyTime)
            : rows.OrderByDescending(r => r.StudyDate).ThenByDescending(r => r.StudyTime);
        return ordered.ToList();
    }

    /// <summary>Series of a study, or null when the study is not in the archive.</summary>
    public async Task<IReadOnlyList<SeriesRow>?> SeriesAsync(string studyUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        var exists = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM study WHERE study_instance_uid = @studyUid", new { studyUid }, cancellationToken: ct)).ConfigureAwait(false);
        if (exists == 0) return null;
        return (await c.QueryAsync<SeriesRow>(new CommandDefinition(
            """
            SELECT se.series_instance_uid AS SeriesInstanceUid, se.modality AS Modality, se.series_number AS SeriesNumber, se.series_description AS SeriesDescription,
                   se.body_part_examined AS BodyPartExamined, COUNT(i.pk) AS InstanceCount,
                   (SELECT i2.sop_instance_uid FROM instance i2 WHERE i2.series_fk = se.pk ORDER BY i2.instance_number, i2.pk LIMIT 1) AS FirstSopInstanceUid
            FROM series se JOIN study st ON st.pk = se.study_fk LEFT JOIN instance i ON i.series_fk = se.pk
            WHERE st.study_instance_uid = @studyUid
            GROUP BY se.pk, se.series_instance_uid, se.modality, se.series_number, se.series_description, se.body_part_examined
            ORDER BY se.series_number, se.series_instance_uid
            """, new { studyUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Instances of a series in Instance Number order, or null when the series is not in the archive.</summary>
    public async Task<(string StudyInstanceUid, IReadOnlyList<InstanceRow> Instances)?> InstancesAsync(string seriesUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        var study = await c.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT st.study_instance_uid FROM series se JOIN study st ON st.pk = se.study_fk WHERE se.series_instance_uid = @seriesUid", new { seriesUid }, cancellationToken: ct)).ConfigureAwait(false);
        if (study is null) return null;
        var rows = (await c.QueryAsync<InstanceRow>(new CommandDefinition(
            """
            SELECT i.sop_instance_uid AS SopInstanceUid, i.sop_class_uid AS SopClassUid, i.instance_number AS InstanceNumber, i.transfer_syntax_uid AS TransferSyntaxUid,
                   i.image_rows AS Rows, i.image_columns AS Columns, i.number_of_frames AS NumberOfFrames
            FROM instance i JOIN series se ON se.pk = i.series_fk
            WHERE se.series_instance_uid = @seriesUid
            ORDER BY i.instance_number, i.pk
            """, new { seriesUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        return (study, rows);
    }

    /// <summary>Files of a study for sending: path relative to the store, SOP class and transfer syntax.</summary>
    public async Task<IReadOnlyList<(string SopInstanceUid, string SopClassUid, string? TransferSyntaxUid, string FilePath)>> StudyFilesAsync(string studyUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<(string, string, string?, string)>(new CommandDefinition(
            """
            SELECT i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid, i.file_path
            FROM instance i JOIN series se ON se.pk = i.series_fk JOIN study st ON st.pk = se.study_fk
            WHERE st.study_instance_uid = @studyUid ORDER BY se.series_number, i.instance_number, i.pk
            """, new { studyUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>One file of a study export.</summary>
    public sealed record ExportFile
    {
        public string SeriesInstanceUid { get; init; } = "";
        public string SopInstanceUid { get; init; } = "";
        public string FilePath { get; init; } = "";
        public long FileSize { get; init; }
    }

    /// <summary>Files of a study in Series Number, then Instance Number order (empty when the study is unknown).</summary>
    public async Task<IReadOnlyList<ExportFile>> ExportFilesAsync(string studyUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<ExportFile>(new CommandDefinition(
            """
            SELECT se.series_instance_uid AS SeriesInstanceUid, i.sop_instance_uid AS SopInstanceUid, i.file_path AS FilePath, i.file_size AS FileSize
            FROM instance i JOIN series se ON se.pk = i.series_fk JOIN study st ON st.pk = se.study_fk
            WHERE st.study_instance_uid = @studyUid
            ORDER BY se.series_number, se.series_instance_uid, i.instance_number, i.pk
            """, new { studyUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }
}
