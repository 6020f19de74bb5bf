using System.Diagnostics;
using System.Threading.Channels;
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
/// <remarks>
/// One dispatcher claims items in batches (<see cref="InferenceOptions.ClaimBatch"/>, one index transaction each) and
/// hands them over a small channel to <see cref="InferenceOptions.Workers"/> workers, which share the (thread-safe)
/// ONNX sessions. Each item is claimed exactly once, so workers never process the same image twice in one run.
/// Images at or above the malignancy threshold get a "heatmap" work item that <see cref="HeatmapWorker"/> runs later,
/// while this pipeline is idle, so occlusion never delays a per-image result or a summary.
/// </remarks>
public sealed class InferenceWorker(
    SqlArchiveIndex index,
    FileStore store,
    ArchiveWriter writer,
    AiResultStore results,
    IImageAnalyzer analyzer,
    IAiReportBuilder reports,
    IOptions<InferenceOptions> options,
    ILogger<InferenceWorker> logger,
    PipelineActivity? activity = null,
    InferenceStageStats? stats = null) : BackgroundService
{
    /// <summary>Work item kind for on-arrival analysis.</summary>
    public const string WorkKind = "inference";

    /// <summary>Work item kind for a background occlusion heatmap of an image above the malignancy threshold.</summary>
    public const string HeatmapKind = "heatmap";

    /// <summary>Prefix of forwarding work item kinds (<c>forward:AETITLE</c>).</summary>
    public const string ForwardKindPrefix = "forward:";

    private readonly string _workerId = WorkerIds.New();
    private readonly PipelineActivity _activity = activity ?? new PipelineActivity();
    private readonly InferenceStageStats _stats = stats ?? new InferenceStageStats();

    /// <summary>The stage timings of this worker.</summary>
    public InferenceStageStats Stats => _stats;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        // Work a killed process of this machine had claimed is taken back now, not after the lease: otherwise its
        // images wait (and their series' summaries with them) for Index:WorkLeaseTimeout after a restart.
        try
        {
            int released = await index.ReleaseOrphanedClaimsAsync(WorkerIds.OrphanedOnThisMachine(), stoppingToken).ConfigureAwait(false);
            if (released > 0) WorkerLog.ReleasedOrphans(logger, released);
        }
        catch (OperationCanceledException) { return; }
        await RunAsync(o.Workers, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Runs the dispatcher and <paramref name="workers"/> workers until <paramref name="ct"/> is cancelled (public for tests).</summary>
    public async Task RunAsync(int workers, CancellationToken ct)
    {
        var channel = Channel.CreateBounded<(WorkItem Item, IDisposable Busy)>(new BoundedChannelOptions(Math.Max(1, workers))
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var consumers = Enumerable.Range(0, workers).Select(_ => Task.Run(() => ConsumeAsync(channel.Reader, ct), CancellationToken.None)).ToList();
        try
        {
            await DispatchAsync(channel.Writer, ct).ConfigureAwait(false);
        }
        finally
        {
            channel.Writer.TryComplete();
            await Task.WhenAll(consumers).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(ChannelWriter<(WorkItem Item, IDisposable Busy)> output, CancellationToken ct)
    {
        var o = options.Value;
        using var idle = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<WorkItem> items;
            try
            {
                // Wait for a free worker before claiming, so claimed items never wait long for one.
                if (!await output.WaitToWriteAsync(ct).ConfigureAwait(false)) return;
                long t0 = Stopwatch.GetTimestamp();
                items = await index.ClaimAsync(_workerId, o.ClaimBatch, WorkKind, ct).ConfigureAwait(false);
                if (items.Count > 0) _stats.Add(InferenceStage.Claim, t0);
            }
            catch (OperationCanceledException) { return; }
            if (items.Count == 0)
            {
                if (!_activity.IsBusy && _stats.Images > 0)
                {
                    NativeHeap.Trim(); // activations of the finished runs
                    WorkerLog.Drained(logger, _stats.TakeSnapshot().ToString(), MemoryLine());
                }
                try { await idle.WaitForNextTickAsync(ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                continue;
            }
            var scopes = items.Select(_ => _activity.Begin()).ToList();
            for (int i = 0; i < items.Count; i++)
            {
                try
                {
                    await output.WriteAsync((items[i], scopes[i]), ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Left claimed: the lease expires and the items are taken again.
                    for (int j = i; j < scopes.Count; j++) scopes[j].Dispose();
                    return;
                }
            }
        }
    }

    /// <summary>Where the process's memory is: resident set and its peak, and the managed heap (the rest is native: ONNX Runtime, codecs).</summary>
    private static string MemoryLine()
    {
        using var self = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        const double MB = 1024 * 1024;
        return FormattableString.Invariant(
            $"rss={self.WorkingSet64 / MB:0}MB peak={self.PeakWorkingSet64 / MB:0}MB managed-heap={gc.HeapSizeBytes / MB:0}MB managed-committed={gc.TotalCommittedBytes / MB:0}MB loh={gc.GenerationInfo[3].SizeAfterBytes / MB:0}MB gen2-collections={GC.CollectionCount(2)}");
    }

    private async Task ConsumeAsync(ChannelReader<(WorkItem Item, IDisposable Busy)> input, CancellationToken ct)
    {
        while (await WaitToReadAsync(input, ct).ConfigureAwait(false))
        {
            while (input.TryRead(out var next))
            {
                using (next.Busy)
                {
                    if (ct.IsCancellationRequested) continue;
                    await ProcessOneAsync(_workerId, next.Item, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private static async Task<bool> WaitToReadAsync<T>(ChannelReader<T> reader, CancellationToken ct)
    {
        try { return await reader.WaitToReadAsync(ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { return reader.Count > 0; }
    }

    /// <summary>Processes one claimed item (public for tests and the CLI).</summary>
    public async Task ProcessOneAsync(string workerId, WorkItem item, CancellationToken ct)
    {
        try
        {
            await AnalyzeAndReportAsync(workerId, item, ct).ConfigureAwait(false);
            _stats.ImageDone();
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

    private async Task AnalyzeAndReportAsync(string workerId, WorkItem item, CancellationToken ct)
    {
        var o = options.Value;
        long t = Stopwatch.GetTimestamp();
        var instance = await index.FindInstanceAsync(item.SopInstanceUid, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Instance {item.SopInstanceUid} is no longer in the index.");
        t = _stats.Add(InferenceStage.Lookup, t);
        // Read once: the same dataset feeds the selection, the models and the report's header attributes.
        var file = DicomFile.Open(store.GetFullPath(instance.FilePath));
        var ds = file.Dataset;
        t = _stats.Add(InferenceStage.Read, t);
        int? instanceNumber = ds.TryGetSingleValue<int>(DicomTags.InstanceNumber, out var n) ? n : null;

        ImageAnalysis analysis;
        var skip = ImageSelection.WhyNot(ds, o);
        analysis = skip is not null ? ImageAnalysis.NotAnalysed("skipped: " + skip) : analyzer.Analyze(file, ct);
        t = _stats.Add(InferenceStage.Analyse, t);

        string? srUid = null;
        var queued = new List<QueuedWork>();
        if (analysis.Status == AnalysisStatus.Done)
        {
            srUid = DicomUid.FromName($"edgecancer/ai-image/{item.SopInstanceUid}/{analysis.ModelSet}").Value;
            var srSeries = DicomUid.FromName($"edgecancer/ai-image-series/{item.SeriesInstanceUid}").Value;
            var report = reports.BuildImageReport(ds, analysis, srUid, srSeries, o.ImageReportSeriesNumber);
            t = _stats.Add(InferenceStage.SrBuild, t);
            var (outcome, _, _) = await writer.StoreAsync(new DicomFile(report), enqueueWork: false, ct).ConfigureAwait(false);
            if (!outcome.Status.IsSuccess) throw new InvalidOperationException($"The per-image report could not be stored: {outcome.Status} {outcome.ErrorComment}");
            foreach (var ae in o.ForwardTo) queued.Add(new QueuedWork(ForwardKindPrefix + ae, srUid, item.StudyInstanceUid, srSeries));
            t = _stats.Add(InferenceStage.SrStore, t);
        }
        if (o.Heatmaps && analysis.Status == AnalysisStatus.Done && analysis.IsSuspicious)
            queued.Add(new QueuedWork(HeatmapKind, item.SopInstanceUid, item.StudyInstanceUid, item.SeriesInstanceUid));
        // Result, follow-up work (forwarding, heatmap) and completion in one commit: a crash before it re-runs the item,
        // which rewrites the same report; after it nothing is left to do.
        await results.SaveAsync(item.SopInstanceUid, item.StudyInstanceUid, item.SeriesInstanceUid, instanceNumber, analysis, srUid,
            new WorkCompletion(item.Id, workerId), queued, ct).ConfigureAwait(false);
        _stats.Add(InferenceStage.Result, t);
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

    [LoggerMessage(EventId = 4006, Level = LogLevel.Information, Message = "Inference queue drained: {Stages}; memory {Memory}")]
    public static partial void Drained(ILogger logger, string stages, string memory);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Information, Message = "Heatmap of {SopInstanceUid} ({Model} {Version}) written in {Seconds:0.0} s ({Runs} model runs)")]
    public static partial void HeatmapWritten(ILogger logger, string sopInstanceUid, string model, string version, double seconds, int runs);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Heatmap of {SopInstanceUid} failed")]
    public static partial void HeatmapFailed(ILogger logger, Exception exception, string sopInstanceUid);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Information, Message = "Took back {Count} work item(s) claimed by a process of this machine that is gone")]
    public static partial void ReleasedOrphans(ILogger logger, int count);
}
