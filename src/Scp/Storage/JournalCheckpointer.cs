using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// Durable mode's background checkpoint: every <see cref="FileStoreOptions.JournalCheckpointInterval"/>, or at once
/// when the journal is half full, makes the instances materialised since the last one durable (syncfs of the store,
/// index sync) and retires their journal records. A last checkpoint runs on stop, so a clean start replays nothing.
/// </summary>
public sealed class JournalCheckpointer(FileStore store, IOptions<FileStoreOptions> options, ILogger<JournalCheckpointer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var journal = store.Journal;
        if (journal is null) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var tick = Task.Delay(options.Value.JournalCheckpointInterval, stoppingToken);
                var asked = journal.WaitForCheckpointRequestAsync(stoppingToken).AsTask();
                await Task.WhenAny(tick, asked).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                await CheckpointAsync(journal, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (store.Journal is { } journal) await CheckpointAsync(journal, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task CheckpointAsync(WriteAheadJournal journal, CancellationToken ct)
    {
        try { await journal.CheckpointAsync(ct).ConfigureAwait(false); }
        catch (Exception ex) when (ex is not OperationCanceledException) { StorageLog.JournalCheckpointFailed(logger, ex); }
    }
}
