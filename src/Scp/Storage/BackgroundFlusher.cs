using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Storage;

/// <summary>Fast mode's background sync: batches files renamed in the last interval, syncs them (one <c>syncfs</c>), and drains on stop.</summary>
public sealed class BackgroundFlusher(FileSyncQueue queue, IOptions<FileStoreOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.WaitAsync(stoppingToken).ConfigureAwait(false))
            {
                await Task.Delay(options.Value.FastModeFlushInterval, stoppingToken).ConfigureAwait(false);
                await queue.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        // Whatever was acknowledged must reach the disk before the process ends.
        await queue.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
