using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// Fast mode's background sync: once files are queued, waits until no file has been queued for
/// <see cref="FileStoreOptions.FastModeQuietPeriod"/> (the end of a burst), or until the first of them has waited
/// <see cref="FileStoreOptions.FastModeFlushInterval"/>, then syncs them all (one <c>syncfs</c>); drains on stop.
/// </summary>
public sealed class BackgroundFlusher(FileSyncQueue queue, IOptions<FileStoreOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.WaitAsync(stoppingToken).ConfigureAwait(false))
            {
                long first = Environment.TickCount64; // a file is queued
                TimeSpan wait;
                while ((wait = DelayBeforeSync(options.Value, queue.LastEnqueuedAt, first, Environment.TickCount64)) > TimeSpan.Zero)
                    await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                await queue.FlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        // Whatever was acknowledged must reach the disk before the process ends.
        await queue.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// How much longer to wait before syncing, at <paramref name="now"/> (milliseconds of
    /// <see cref="Environment.TickCount64"/>): zero once nothing has been queued for the quiet period since
    /// <paramref name="lastQueuedAt"/>, or once the first unsynced file, queued at <paramref name="firstQueuedAt"/>, has
    /// waited the flush interval.
    /// </summary>
    internal static TimeSpan DelayBeforeSync(FileStoreOptions options, long lastQueuedAt, long firstQueuedAt, long now)
    {
        long quiet = (long)options.FastModeQuietPeriod.TotalMilliseconds - (now - lastQueuedAt);
        long longest = (long)options.FastModeFlushInterval.TotalMilliseconds - (now - firstQueuedAt);
        long wait = Math.Min(quiet, longest);
        return wait > 0 ? TimeSpan.FromMilliseconds(wait) : TimeSpan.Zero;
    }
}
