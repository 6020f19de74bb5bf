using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// Files renamed in fast mode wait here until the <see cref="BackgroundFlusher"/> fsyncs them and their folders.
/// <see cref="FlushAsync"/> drains it (used on graceful shutdown and by tests).
/// </summary>
public sealed class FileSyncQueue
{
    private readonly Channel<string> _files = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _drainLock = new(1, 1);
    private readonly ILogger _logger;
    private int _pending;

    public FileSyncQueue(ILogger<FileSyncQueue> logger) => _logger = logger;

    /// <summary>Files renamed but not yet synced.</summary>
    public int Pending => Volatile.Read(ref _pending);

    internal void Enqueue(string fullPath)
    {
        Interlocked.Increment(ref _pending);
        _files.Writer.TryWrite(fullPath);
    }

    /// <summary>Waits until at least one file is queued.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken ct) => _files.Reader.WaitToReadAsync(ct);

    /// <summary>Syncs every queued file, then each distinct folder once.</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        await _drainLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await Task.Run(() =>
            {
                var folders = new HashSet<string>(StringComparer.Ordinal);
                int files = 0;
                while (_files.Reader.TryRead(out var path))
                {
                    try
                    {
                        if (File.Exists(path)) NativeSync.SyncFile(path);
                        folders.Add(Path.GetDirectoryName(path)!);
                        files++;
                    }
                    catch (IOException ex) { StorageLog.BackgroundSyncFailed(_logger, ex, path); }
                    finally { Interlocked.Decrement(ref _pending); }
                }
                foreach (var folder in folders)
                {
                    try { if (Directory.Exists(folder)) NativeSync.SyncDirectory(folder); }
                    catch (IOException ex) { StorageLog.BackgroundSyncFailed(_logger, ex, folder); }
                }
                if (files > 0) StorageLog.BackgroundSynced(_logger, files, folders.Count);
            }, ct).ConfigureAwait(false);
        }
        finally { _drainLock.Release(); }
    }
}
