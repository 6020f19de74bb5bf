using System.Text.Json;
using Dapper;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>A stored result row.</summary>
public sealed record AiResultRow
{
    public string SopInstanceUid { get; init; } = "";
    public string ModelSet { get; init; } = "";
    public string StudyInstanceUid { get; init; } = "";
    public string SeriesInstanceUid { get; init; } = "";
    public string Status { get; init; } = "";
    public string? Reason { get; init; }
    public string? BodyPart { get; init; }
    public double? BodyPartProbability { get; init; }
    public double? ChestProbability { get; init; }
    public double? MalignancyProbability { get; init; }
    public long? InstanceNumber { get; init; }
    public string ModelsJson { get; init; } = "[]";
    public string? SrSopInstanceUid { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>The models recorded with the result.</summary>
    public IReadOnlyList<ModelIdentity> Models => JsonSerializer.Deserialize<List<ModelIdentity>>(ModelsJson) ?? [];
}

/// <summary>A claimed work item to mark done with a result.</summary>
public readonly record struct WorkCompletion(long WorkItemId, string WorkerId);

/// <summary>A work item to queue with a result.</summary>
public sealed record QueuedWork(string Kind, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid);

/// <summary>A series' summary state.</summary>
public sealed record AiSeriesRow
{
    public string SeriesInstanceUid { get; init; } = "";
    public string StudyInstanceUid { get; init; } = "";
    public long LastResultAt { get; init; }
    public bool SummaryDue { get; init; }
    public long SummaryGeneration { get; init; }
    public string? SummarySopInstanceUid { get; init; }
    public string? SummarySeriesInstanceUid { get; init; }
    public long? SummaryAt { get; init; }
}

/// <summary>Results per image and model set, and series summary state, in the index database (Dapper).</summary>
public sealed class AiResultStore(SqlArchiveIndex index, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Records (or replaces) an image's result and marks its series as due for a summary.</summary>
    public Task SaveAsync(string sopInstanceUid, string studyUid, string seriesUid, int? instanceNumber, ImageAnalysis a, string? srSopInstanceUid, CancellationToken ct) =>
        SaveAsync(sopInstanceUid, studyUid, seriesUid, instanceNumber, a, srSopInstanceUid, null, [], ct);

    /// <summary>
    /// Records (or replaces) an image's result, marks its series as due for a summary, queues <paramref name="enqueue"/>
    /// and marks the work item <paramref name="complete"/> done, all in one index transaction (one commit instead of
    /// one per step). Returns false when the work item was given and is no longer claimed by that worker (the result
    /// is recorded all the same; it is identical whoever writes it).
    /// </summary>
    public Task<bool> SaveAsync(string sopInstanceUid, string studyUid, string seriesUid, int? instanceNumber, ImageAnalysis a, string? srSopInstanceUid,
        WorkCompletion? complete, IReadOnlyList<QueuedWork> enqueue, CancellationToken ct)
    {
        var now = Now();
        var models = JsonSerializer.Serialize(a.Models);
        return index.ExecuteWriteAsync(async c =>
        {
            await using var tx = await c.BeginTransactionAsync(ct).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM ai_result WHERE sop_instance_uid = @sop AND model_set = @set", new { sop = sopInstanceUid, set = a.ModelSet }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ai_result (sop_instance_uid, model_set, study_instance_uid, series_instance_uid, status, reason, body_part, body_part_probability,
                                       chest_probability, malignancy_probability, instance_number, models_json, sr_sop_instance_uid, created_at)
                VALUES (@sop, @set, @study, @series, @status, @reason, @bodyPart, @bpp, @chest, @mal, @num, @models, @sr, @now)
                """,
                new { sop = sopInstanceUid, set = a.ModelSet, study = studyUid, series = seriesUid, status = a.Status, reason = a.Reason, bodyPart = a.BodyPart,
                      bpp = a.BodyPartProbability, chest = a.ChestProbability, mal = a.MalignancyProbability, num = instanceNumber, models, sr = srSopInstanceUid, now },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            int updated = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE ai_series SET last_result_at = @now, summary_due = @due WHERE series_instance_uid = @series",
                new { now, due = true, series = seriesUid }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (updated == 0)
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO ai_series (series_instance_uid, study_instance_uid, last_result_at, summary_due, summary_generation) VALUES (@series, @study, @now, @due, 0)",
                    new { series = seriesUid, study = studyUid, now, due = true }, tx, cancellationToken: ct)).ConfigureAwait(false);
            // The same rows SqlArchiveIndex.EnqueueWorkAsync and CompleteAsync write, inside this transaction.
            foreach (var w in enqueue)
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO work_queue (sop_instance_uid, study_instance_uid, series_instance_uid, kind, state, attempts, available_at, created_at)
                    VALUES (@sop, @study, @series, @kind, 'pending', 0, @now, @now)
                    """, new { sop = w.SopInstanceUid, study = w.StudyInstanceUid, series = w.SeriesInstanceUid, kind = w.Kind, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            bool completed = true;
            if (complete is { } done)
                completed = await c.ExecuteAsync(new CommandDefinition(
                    "UPDATE work_queue SET state = 'done' WHERE id = @id AND claimed_by = @worker AND state = 'claimed'",
                    new { id = done.WorkItemId, worker = done.WorkerId }, tx, cancellationToken: ct)).ConfigureAwait(false) == 1;
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return completed;
        }, ct);
    }

    /// <summary>The results of a series (newest per image).</summary>
    public async Task<IReadOnlyList<AiResultRow>> ForSeriesAsync(string seriesUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        var rows = await c.QueryAsync<AiResultRow>(new CommandDefinition(Select + " WHERE series_instance_uid = @series ORDER BY created_at", new { series = seriesUid }, cancellationToken: ct)).ConfigureAwait(false);
        return rows.GroupBy(r => r.SopInstanceUid).Select(g => g.Last()).OrderBy(r => r.InstanceNumber ?? long.MaxValue).ToList();
    }

    /// <summary>The results of an image (all model sets).</summary>
    public async Task<IReadOnlyList<AiResultRow>> ForImageAsync(string sopInstanceUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<AiResultRow>(new CommandDefinition(Select + " WHERE sop_instance_uid = @sop ORDER BY created_at", new { sop = sopInstanceUid }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>Series whose summary is due and that have been quiet since <paramref name="quietSinceMs"/>.</summary>
    public async Task<IReadOnlyList<AiSeriesRow>> DueSeriesAsync(long quietSinceMs, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return (await c.QueryAsync<AiSeriesRow>(new CommandDefinition(SeriesSelect + " WHERE summary_due = @due AND last_result_at <= @since", new { due = true, since = quietSinceMs }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
    }

    /// <summary>
    /// When the last image of a series that was queued for <paramref name="kind"/> arrived (its work item's creation,
    /// written in the image's index transaction), or null when none was.
    /// </summary>
    public async Task<long?> LastArrivalAsync(string seriesUid, string kind, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(created_at) FROM work_queue WHERE series_instance_uid = @series AND kind = @kind", new { series = seriesUid, kind }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>A series' state.</summary>
    public async Task<AiSeriesRow?> SeriesAsync(string seriesUid, CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        return await c.QuerySingleOrDefaultAsync<AiSeriesRow>(new CommandDefinition(SeriesSelect + " WHERE series_instance_uid = @s", new { s = seriesUid }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Records a written summary, unless a result arrived after <paramref name="seenLastResultAt"/> (then it stays due).</summary>
    public Task<bool> SummaryWrittenAsync(string seriesUid, long seenLastResultAt, long generation, string summarySop, string summarySeries, CancellationToken ct)
    {
        var now = Now();
        return index.ExecuteWriteAsync(async c => await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE ai_series SET summary_due = CASE WHEN last_result_at = @seen THEN @notDue ELSE summary_due END,
                   summary_generation = @generation, summary_sop_instance_uid = @sop, summary_series_instance_uid = @srs, summary_at = @now
            WHERE series_instance_uid = @series
            """, new { seen = seenLastResultAt, notDue = false, generation, sop = summarySop, srs = summarySeries, now, series = seriesUid }, cancellationToken: ct)).ConfigureAwait(false) == 1, ct);
    }

    private const string Select =
        """
        SELECT sop_instance_uid AS SopInstanceUid, model_set AS ModelSet, study_instance_uid AS StudyInstanceUid, series_instance_uid AS SeriesInstanceUid,
               status AS Status, reason AS Reason, body_part AS BodyPart, body_part_probability AS BodyPartProbability, chest_probability AS ChestProbability,
               malignancy_probability AS MalignancyProbability, instance_number AS InstanceNumber, models_json AS ModelsJson, sr_sop_instance_uid AS SrSopInstanceUid,
               created_at AS CreatedAt
        FROM ai_result
        """;

    private const string SeriesSelect =
        """
        SELECT series_instance_uid AS SeriesInstanceUid, study_instance_uid AS StudyInstanceUid, last_result_at AS LastResultAt, summary_due AS SummaryDue,
               summary_generation AS SummaryGeneration, summary_sop_instance_uid AS SummarySopInstanceUid, summary_series_instance_uid AS SummarySeriesInstanceUid,
               summary_at AS SummaryAt
        FROM ai_series
        """;
}
