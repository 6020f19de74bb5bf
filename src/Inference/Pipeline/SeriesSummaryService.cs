using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// Writes a series summary report once a series is complete (<see cref="SummaryTiming"/>): every work item of the
/// series done and the quiet period passed since its last image arrived (association release is only a hint, so time
/// decides). Checked every <see cref="InferenceOptions.SummaryPollMilliseconds"/>. A late image re-opens the series;
/// the next summary names the previous one in Predecessor Documents Sequence and supersedes it.
/// </summary>
public sealed class SeriesSummaryService(
    SqlArchiveIndex index,
    FileStore store,
    ArchiveWriter writer,
    AiResultStore results,
    IAiReportBuilder reports,
    IOptions<InferenceOptions> options,
    ILogger<SeriesSummaryService> logger,
    TimeProvider? time = null) : BackgroundService
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.SummaryPollMilliseconds), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Writes every summary that is due now; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var quiet = TimeSpan.FromSeconds(options.Value.QuietPeriodSeconds);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        int written = 0;
        foreach (var series in await results.DueSeriesAsync(long.MaxValue, ct).ConfigureAwait(false))
        {
            long open = await index.CountOpenWorkAsync(series.SeriesInstanceUid, InferenceWorker.WorkKind, ct).ConfigureAwait(false);
            // The arrival time is only needed when the results themselves are more recent than the quiet period.
            long? lastArrival = open == 0 && !SummaryTiming.QuietSince(now, series.LastResultAt, quiet)
                ? await results.LastArrivalAsync(series.SeriesInstanceUid, InferenceWorker.WorkKind, ct).ConfigureAwait(false)
                : null;
            if (!SummaryTiming.IsComplete(now, series.LastResultAt, lastArrival, open, quiet)) continue;
            try
            {
                if (await WriteSummaryAsync(series, ct).ConfigureAwait(false)) written++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                WorkerLog.SummaryFailed(logger, ex, series.SeriesInstanceUid);
            }
        }
        return written;
    }

    private async Task<bool> WriteSummaryAsync(AiSeriesRow series, CancellationToken ct)
    {
        var o = options.Value;
        var rows = await results.ForSeriesAsync(series.SeriesInstanceUid, ct).ConfigureAwait(false);
        var done = rows.Where(r => r.Status == AnalysisStatus.Done).ToList();
        if (done.Count == 0)
        {
            await results.SummaryWrittenAsync(series.SeriesInstanceUid, series.LastResultAt, series.SummaryGeneration, series.SummarySopInstanceUid ?? "", series.SummarySeriesInstanceUid ?? "", ct).ConfigureAwait(false);
            return false;
        }
        var first = await index.FindInstanceAsync(done[0].SopInstanceUid, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Instance {done[0].SopInstanceUid} is no longer in the index.");
        var source = DicomFile.OpenHeader(store.GetFullPath(first.FilePath)).Dataset;
        var images = done.Select(r => new SeriesImageResult(r.SopInstanceUid, first.SopClassUid, (int?)r.InstanceNumber,
            new ImageAnalysis(r.Status, r.Reason, r.BodyPart, r.BodyPartProbability, r.ChestProbability, r.MalignancyProbability,
                0.5, r.Models))).ToList();
        long generation = series.SummaryGeneration + 1;
        var sop = DicomUid.FromName($"edgecancer/ai-summary/{series.SeriesInstanceUid}/{generation}").Value;
        var srSeries = DicomUid.FromName($"edgecancer/ai-summary-series/{series.SeriesInstanceUid}").Value;
        (string, string)? predecessor = series.SummarySopInstanceUid is { Length: > 0 } prev ? (prev, series.SummarySeriesInstanceUid ?? srSeries) : null;
        var report = reports.BuildSeriesSummary(source, images, sop, srSeries, o.SummarySeriesNumber, predecessor);
        var (outcome, _, _) = await writer.StoreAsync(new DicomFile(report), enqueueWork: false, ct).ConfigureAwait(false);
        if (!outcome.Status.IsSuccess) throw new InvalidOperationException($"The series summary could not be stored: {outcome.Status} {outcome.ErrorComment}");
        foreach (var ae in o.ForwardTo)
            await index.EnqueueWorkAsync(InferenceWorker.ForwardKindPrefix + ae, sop, series.StudyInstanceUid, srSeries, ct).ConfigureAwait(false);
        await results.SummaryWrittenAsync(series.SeriesInstanceUid, series.LastResultAt, generation, sop, srSeries, ct).ConfigureAwait(false);
        WorkerLog.SummaryWritten(logger, generation, series.SeriesInstanceUid, images.Count);
        return true;
    }
}
