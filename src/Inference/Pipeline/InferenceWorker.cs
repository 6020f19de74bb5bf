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
/// Claims "inference" work items (queued in the same transaction as each CT image's index row), analyses the image,
/// writes its per-image report through the archive and records the result. Report UIDs are derived from the source
/// image and model versions, so an item re-run after a crash rewrites the same report instead of adding one: every
/// image ends with exactly one per-image report per model set.
/// </summary>
public sealed class InferenceWorker(
    SqlArchiveIndex index,
    FileStore store,
    ArchiveWriter writer,
    AiResultStore results,
    IImageAnalyzer analyzer,
    IAiReportBuilder reports,
    IOptions<InferenceOptions> options,
    ILogger<InferenceWorker> logger) : BackgroundService
{
    /// <summary>Work item kind for on-arrival analysis.</summary>
    public const string WorkKind = "inference";

    /// <summary>Prefix of forwarding work item kinds (<c>forward:AETITLE</c>).</summary>
    public const string ForwardKindPrefix = "forward:";

    private readonly string _workerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        var workers = Enumerable.Range(0, o.Workers).Select(i => Task.Run(() => LoopAsync($"{_workerId}#{i}", stoppingToken), stoppingToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task LoopAsync(string workerId, CancellationToken ct)
    {
        using var idle = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<WorkItem> items;
            try
            {
                items = await index.ClaimAsync(workerId, 1, WorkKind, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            if (items.Count == 0)
            {
                try { await idle.WaitForNextTickAsync(ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }
            foreach (var item in items) await ProcessOneAsync(workerId, item, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Processes one claimed item (public for tests and the CLI).</summary>
    public async Task ProcessOneAsync(string workerId, WorkItem item, CancellationToken ct)
    {
        try
        {
            await AnalyzeAndReportAsync(item, ct).ConfigureAwait(false);
            await index.CompleteAsync(item.Id, workerId, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Left claimed: the lease expires and another worker (or this one after restart) takes it again.
        }
        catch (Exception ex)
        {
            WorkerLog.Failed(logger, ex, item.SopInstanceUid, item.Attempts);
            bool retry = item.Attempts < 3;
            await index.FailAsync(item.Id, workerId, ex.Message, retry, TimeSpan.FromSeconds(10 * item.Attempts), CancellationToken.None).ConfigureAwait(false);
            if (!retry)
                await results.SaveAsync(item.SopInstanceUid, item.StudyInstanceUid, item.SeriesInstanceUid, null,
                    new ImageAnalysis(AnalysisStatus.Failed, ex.Message, null, null, null, null, 0, []), null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task AnalyzeAndReportAsync(WorkItem item, CancellationToken ct)
    {
        var o = options.Value;
        var instance = await index.FindInstanceAsync(item.SopInstanceUid, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Instance {item.SopInstanceUid} is no longer in the index.");
        var file = DicomFile.Open(store.GetFullPath(instance.FilePath));
        var ds = file.Dataset;
        int? instanceNumber = ds.TryGetSingleValue<int>(DicomTags.InstanceNumber, out var n) ? n : null;

        ImageAnalysis analysis;
        var skip = ImageSelection.WhyNot(ds, o);
        analysis = skip is not null ? ImageAnalysis.NotAnalysed("skipped: " + skip) : analyzer.Analyze(file, ct);

        string? srUid = null;
        if (analysis.Status == AnalysisStatus.Done)
        {
            srUid = DicomUid.FromName($"edgecancer/ai-image/{item.SopInstanceUid}/{analysis.ModelSet}").Value;
            var srSeries = DicomUid.FromName($"edgecancer/ai-image-series/{item.SeriesInstanceUid}").Value;
            var report = reports.BuildImageReport(ds, analysis, srUid, srSeries, o.ImageReportSeriesNumber);
            var (outcome, _, _) = await writer.StoreAsync(new DicomFile(report), enqueueWork: false, ct).ConfigureAwait(false);
            if (!outcome.Status.IsSuccess) throw new InvalidOperationException($"The per-image report could not be stored: {outcome.Status} {outcome.ErrorComment}");
            foreach (var ae in o.ForwardTo)
                await index.EnqueueWorkAsync(ForwardKindPrefix + ae, srUid, item.StudyInstanceUid, srSeries, ct).ConfigureAwait(false);
        }
        await results.SaveAsync(item.SopInstanceUid, item.StudyInstanceUid, item.SeriesInstanceUid, instanceNumber, analysis, srUid, ct).ConfigureAwait(false);
        WorkerLog.Analysed(logger, item.SopInstanceUid, analysis.Status, analysis.Reason ?? "");
    }
}

internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Analysed {SopInstanceUid}: {Status} {Reason}")]
    public static partial void Analysed(ILogger logger, string sopInstanceUid, string status, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Analysis of {SopInstanceUid} failed (attempt {Attempt})")]
    public static partial void Failed(ILogger logger, Exception exception, string sopInstanceUid, int attempt);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Series summary {Generation} written for series {SeriesUid} ({Images} images)")]
    public static partial void SummaryWritten(ILogger logger, long generation, string seriesUid, int images);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Series summary for {SeriesUid} failed")]
    public static partial void SummaryFailed(ILogger logger, Exception exception, string seriesUid);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Forwarding {Count} report(s) to {AeTitle} failed: {Reason}")]
    public static partial void ForwardFailed(ILogger logger, int count, string aeTitle, string reason);
}
