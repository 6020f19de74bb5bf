using System.Diagnostics;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Explain;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>What became of one heatmap work item.</summary>
public enum HeatmapOutcome
{
    /// <summary>The heatmap was computed and written.</summary>
    Written,
    /// <summary>It was already on disk (a repeated item).</summary>
    AlreadyStored,
    /// <summary>Nothing to map: the image is gone, not analysable, or no malignancy model is active.</summary>
    NotApplicable,
}

/// <summary>
/// The low-priority queue of occlusion heatmaps (issue 4): one "heatmap" work item per image at or above the
/// malignancy threshold, queued by <see cref="InferenceWorker"/>. Items are taken one at a time, only while no
/// on-arrival work is in progress in this process, and the computation pauses between model runs as soon as new
/// images arrive, so per-image results and series summaries never wait for it. Maps are written to
/// <see cref="HeatmapStore"/> (durable) and kept in a bounded <see cref="HeatmapCache"/>.
/// </summary>
public sealed class HeatmapWorker(
    SqlArchiveIndex index,
    FileStore store,
    IModelProvider models,
    HeatmapStore heatmaps,
    HeatmapCache cache,
    PipelineActivity activity,
    IOptions<InferenceOptions> options,
    ILogger<HeatmapWorker> logger) : BackgroundService
{
    private readonly string _workerId = WorkerIds.New("heatmap");
    private readonly CtImageDecoder _decoder = new();

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || !o.Heatmaps) return;
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await activity.WhenIdleAsync(stoppingToken).ConfigureAwait(false);
                if (await RunOnceAsync(stoppingToken).ConfigureAwait(false) is null)
                    await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Takes one heatmap item, if any, and produces its map; null when none was waiting.</summary>
    public async Task<HeatmapOutcome?> RunOnceAsync(CancellationToken ct)
    {
        var items = await index.ClaimAsync(_workerId, 1, InferenceWorker.HeatmapKind, ct).ConfigureAwait(false);
        if (items.Count == 0) return null;
        var item = items[0];
        try
        {
            var outcome = await GenerateAsync(item.SopInstanceUid, ct).ConfigureAwait(false);
            await index.CompleteAsync(item.Id, _workerId, ct).ConfigureAwait(false);
            return outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw; // left claimed; taken again after the lease
        }
        catch (Exception ex)
        {
            WorkerLog.HeatmapFailed(logger, ex, item.SopInstanceUid);
            await index.FailAsync(item.Id, _workerId, ex.Message, item.Attempts < 3, TimeSpan.FromSeconds(30 * item.Attempts), CancellationToken.None).ConfigureAwait(false);
            return HeatmapOutcome.NotApplicable;
        }
    }

    /// <summary>Computes and stores the malignancy model's heatmap of an image (no-op when it is already stored).</summary>
    public async Task<HeatmapOutcome> GenerateAsync(string sopInstanceUid, CancellationToken ct)
    {
        var o = options.Value;
        var instance = await index.FindInstanceAsync(sopInstanceUid, ct).ConfigureAwait(false);
        if (instance is null) return HeatmapOutcome.NotApplicable;
        string path = store.GetFullPath(instance.FilePath);
        return await Task.Run(() =>
        {
            using var lease = models.Acquire();
            var set = lease.Models;
            var model = set.Find(SrReportBuilder.MalignancyModelName);
            if (model?.Manifest.Preprocessing is not { } spec) return HeatmapOutcome.NotApplicable;
            var key = new HeatmapKey(sopInstanceUid, model.Name, model.Version, model.Sha256);
            if (heatmaps.Exists(key)) return HeatmapOutcome.AlreadyStored;
            var decoded = _decoder.Decode(DicomFile.Open(path), spec);
            if (decoded.Image is not { } image) return HeatmapOutcome.NotApplicable;
            var occlusion = new OcclusionOptions(o.HeatmapPatch, o.HeatmapStride);
            var started = Stopwatch.GetTimestamp();
            // Pauses between model runs while on-arrival work is in progress.
            var map = cache.GetOrCompute(key, () => OcclusionSensitivity.Compute(set, model, image, occlusion, ct, activity.WaitUntilIdle));
            heatmaps.Save(key, map);
            WorkerLog.HeatmapWritten(logger, sopInstanceUid, model.Name, model.Version, Stopwatch.GetElapsedTime(started).TotalSeconds,
                OcclusionSensitivity.Runs(image.Rows, image.Columns, spec.Size, occlusion));
            return HeatmapOutcome.Written;
        }, ct).ConfigureAwait(false);
    }
}
