using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// Sends reports to the PACS AEs named in <see cref="InferenceOptions.ForwardTo"/>: one association per batch,
/// failures retried with exponential back-off and visible as the work items' last error.
/// </summary>
public sealed class ReportForwarder(
    SqlArchiveIndex index,
    FileStore store,
    ArchiveServiceOptions serviceOptions,
    IOptions<InferenceOptions> options,
    ILogger<ReportForwarder> logger) : BackgroundService
{
    private readonly string _workerId = WorkerIds.New("fwd");

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled || o.ForwardTo.Count == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                foreach (var ae in o.ForwardTo) await ForwardBatchAsync(ae, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Sends one batch of pending reports to <paramref name="aeTitle"/>; returns how many were sent successfully.</summary>
    public async Task<int> ForwardBatchAsync(string aeTitle, CancellationToken ct)
    {
        var items = await index.ClaimAsync(_workerId, options.Value.ForwardBatchSize, InferenceWorker.ForwardKindPrefix + aeTitle, ct).ConfigureAwait(false);
        if (items.Count == 0) return 0;
        var target = await index.GetRemoteAeAsync(aeTitle, ct).ConfigureAwait(false);
        if (target is null)
        {
            await FailAllAsync(items, $"{aeTitle} is not in the remote AE table").ConfigureAwait(false);
            return 0;
        }
        var files = new List<(WorkItem Item, string Path, string SopClass)>();
        foreach (var item in items)
        {
            var instance = await index.FindInstanceAsync(item.SopInstanceUid, ct).ConfigureAwait(false);
            if (instance is null) { await index.FailAsync(item.Id, _workerId, "report no longer stored", false, TimeSpan.Zero, ct).ConfigureAwait(false); continue; }
            files.Add((item, store.GetFullPath(instance.FilePath), instance.SopClassUid));
        }
        var contexts = files.Select(f => f.SopClass).Distinct().Select((c, i) => DicomClient.Propose((byte)(1 + 2 * i), c)).ToList();
        int sent = 0;
        try
        {
            await using var client = await DicomClient.ConnectAsync(target.Host, target.Port, serviceOptions.AETitle, target.AeTitle, contexts, cancellationToken: ct).ConfigureAwait(false);
            foreach (var (item, path, _) in files)
            {
                var rsp = await client.StoreAsync(path, ct).ConfigureAwait(false);
                if (rsp.Status.IsSuccess || rsp.Status.State == DicomState.Warning)
                {
                    await index.CompleteAsync(item.Id, _workerId, ct).ConfigureAwait(false);
                    sent++;
                }
                else
                {
                    await index.FailAsync(item.Id, _workerId, rsp.ToString(), true, Backoff(item), ct).ConfigureAwait(false);
                }
            }
            await client.ReleaseAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomAssociationException or DicomNetworkException or System.Net.Sockets.SocketException or IOException)
        {
            WorkerLog.ForwardFailed(logger, files.Count - sent, aeTitle, ex.Message);
            await FailAllAsync(files.Select(f => f.Item).Where(i => true), ex.Message).ConfigureAwait(false);
        }
        return sent;
    }

    private async Task FailAllAsync(IEnumerable<WorkItem> items, string error)
    {
        // Items already completed are not claimed any more; FailAsync only touches items we still hold.
        foreach (var item in items)
            await index.FailAsync(item.Id, _workerId, error, true, Backoff(item), CancellationToken.None).ConfigureAwait(false);
    }

    private static TimeSpan Backoff(WorkItem item) => TimeSpan.FromSeconds(Math.Min(600, 5 * Math.Pow(2, Math.Max(0, item.Attempts - 1))));
}
