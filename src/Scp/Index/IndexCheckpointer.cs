using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// Copies the SQLite index's write-ahead log into the database every second (a PASSIVE checkpoint on a connection of
/// its own, which never blocks a writer). Without it SQLite checkpoints inside the commit that crosses its threshold,
/// with the checkpoint's fsyncs of the WAL and the database in the C-STORE that happened to commit then (10–40 ms
/// each on a busy disk, three times per 300-slice series). Nothing to do on PostgreSQL.
/// </summary>
public sealed class IndexCheckpointer(SqlArchiveIndex index, ILogger<IndexCheckpointer> logger) : BackgroundService
{
    /// <summary>Time between checkpoints.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!index.IsSqlite) return;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try { await index.CheckpointAsync(stoppingToken).ConfigureAwait(false); }
                catch (Exception ex) when (ex is not OperationCanceledException) { IndexLog.CheckpointFailed(logger, ex); }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }
}
