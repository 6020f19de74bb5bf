using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// Files renamed in fast mode wait here until the <see cref="BackgroundFlusher"/> syncs them (one <c>syncfs</c> for all).
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
        Volatile.Write(ref _lastEnqueued, Environment.TickCount64);
        Interlocked.Increment(ref _pending);
        _files.Writer.TryWrite(fullPath);
    }

    private long _lastEnqueued;

    /// <summary>When the last file was queued (<see cref="Environment.TickCount64"/>).</summary>
    public long LastEnqueuedAt => Volatile.Read(ref _lastEnqueued);

    /// <summary>Waits until at least one file is queued.</summary>
    public ValueTask<bool> WaitAsync(CancellationToken ct) => _files.Reader.WaitToReadAsync(ct);

    /// <summary>
    /// Makes every queued file durable with one <c>syncfs(2)</c> of the file system holding them (their data, names and
    /// folders, as the journal's checkpoint does). Before, each file and folder was opened and fsynced on its own: ~1.2
    /// fsync and 4 more calls per image, which made fast mode slower than durable mode with 4 associations
    /// (benchmarks/README.md, ingest). The store is one file system (as for the journal's checkpoint).
    /// </summary>
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
                    folders.Add(Path.GetDirectoryName(path)!);
                    files++;
                }
                if (files == 0) return;
                try
                {
                    var existing = folders.FirstOrDefault(Directory.Exists);
                    if (existing is not null) NativeSync.SyncFileSystem(existing);
                    StorageLog.BackgroundSynced(_logger, files, folders.Count);
                }
                catch (IOException ex) { StorageLog.BackgroundSyncFailed(_logger, ex, folders.First()); }
                finally { Interlocked.Add(ref _pending, -files); }
            }, ct).ConfigureAwait(false);
        }
        finally { _drainLock.Release(); }
    }
}
