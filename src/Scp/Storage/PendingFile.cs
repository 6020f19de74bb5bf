namespace EdgeCancer.Scp.Storage;

/// <summary>
/// An instance being written. Callers stream bytes into <see cref="Stream"/>, then <see cref="CommitAsync"/>:
/// flush, fsync the file, rename <c>.part</c> to the final name (atomically replacing an older copy), fsync the
/// folder. In fast mode the two fsyncs are left to the background flusher, and a staged file has no name at all
/// until the commit links it into place (<see cref="NativeSync.TryCreateUnnamed"/>). Disposing without commit deletes
/// the <c>.part</c> file (an unnamed one goes with its handle), so an abandoned or failed write leaves nothing behind.
/// </summary>
public sealed class PendingFile : IAsyncDisposable
{
    private readonly FileStore _store;
    private readonly StagingStream _stream;
    private readonly string? _partPath; // null: an unnamed file (fast mode), named by its commit
    private bool _createdFolder;
    private bool _synced;
    private bool _writeBackStarted;
    private bool _closed;

    internal PendingFile(FileStore store, StagingStream stream, string? partPath, string finalPath, string relativePath, bool createdFolder)
    {
        _store = store;
        _stream = stream;
        _partPath = partPath;
        FullPath = finalPath;
        RelativePath = relativePath;
        _createdFolder = createdFolder;
    }

    /// <summary>Where the bytes go. Do not dispose it; dispose the <see cref="PendingFile"/>.</summary>
    public Stream Stream => _stream;

    /// <summary>Final path relative to the store root (<c>{StudyUID}/{SeriesUID}/{SOPInstanceUID}.dcm</c>).</summary>
    public string RelativePath { get; private set; }

    /// <summary>Final absolute path.</summary>
    public string FullPath { get; private set; }

    /// <summary>The first bytes written (the Part 10 header, in practice), kept in memory until commit; see <see cref="StagingStream"/>.</summary>
    internal ReadOnlySpan<byte> Prefix => _stream.Prefix;

    /// <summary>True when <see cref="Prefix"/> holds the whole file.</summary>
    internal bool PrefixIsWholeFile => _stream.PrefixIsWholeFile;

    /// <summary>The open handle of the <c>.part</c> (readable for a staged file), after <see cref="FlushToDiskAsync"/> holds every byte.</summary>
    internal Microsoft.Win32.SafeHandles.SafeFileHandle Handle => _stream.Handle;

    /// <summary>CRC-32C of the bytes written so far.</summary>
    internal uint Crc => _stream.Crc;

    /// <summary>Starts write-back of the bytes flushed so far (no wait, no durability): see <see cref="NativeSync.StartWriteBack"/>.</summary>
    internal void StartWriteBack() => NativeSync.StartWriteBack(_stream.Handle);

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Length;

    public bool IsCommitted { get; private set; }

    /// <summary>True until a staged file (from <see cref="FileStore.BeginIncoming"/>) is given its final place.</summary>
    public bool IsStaged => RelativePath.Length == 0;

    /// <summary>
    /// The path of the <c>.part</c> file being written (readable while writing, e.g. to parse its header); for an
    /// unnamed file, its <c>/proc/self/fd</c> entry, valid until commit or disposal.
    /// </summary>
    public string PartPath => _partPath ?? NativeSync.OpenFilePath(_stream.Handle);

    internal void Retarget(string finalPath, string relativePath, bool createdFolder)
    {
        FullPath = finalPath;
        RelativePath = relativePath;
        _createdFolder = createdFolder;
    }

    /// <summary>Flushes buffers and, unless in fast or journal mode, fsyncs the <c>.part</c> file. Idempotent; no rename yet.</summary>
    /// <param name="ct">Cancels the flush.</param>
    /// <param name="force">fsync whatever the mode (an instance too large for the ingest journal).</param>
    public async ValueTask FlushToDiskAsync(CancellationToken ct, bool force = false)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        ct.ThrowIfCancellationRequested();
        _stream.Flush();
        if (!_synced && !force && !_writeBackStarted && _store.StartsWriteBackEarly)
        {
            StartWriteBack();
            _writeBackStarted = true;
        }
        if (!_synced && (_store.SyncsEachFile || force))
        {
            await Task.Run(_stream.FlushToDisk, ct).ConfigureAwait(false);
            _synced = true;
        }
    }

    /// <summary>
    /// Makes the file durable and visible under its final name. After this returns (outside fast mode) the
    /// instance survives a power loss.
    /// </summary>
    public async ValueTask CommitAsync(CancellationToken ct)
    {
        if (IsCommitted) return;
        if (IsStaged) throw new InvalidOperationException("A staged file needs FileStore.AssignDestination before commit.");
        await FlushToDiskAsync(ct).ConfigureAwait(false);
        if (_partPath is null)
        {
            // Named while still open: closing an unnamed file first would free it.
            ct.ThrowIfCancellationRequested();
            try { NativeSync.LinkUnnamed(_stream.Handle, FullPath, FileStore.PartSuffix); }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
                _createdFolder = true;
                NativeSync.LinkUnnamed(_stream.Handle, FullPath, FileStore.PartSuffix);
            }
            IsCommitted = true;
            await _stream.DisposeAsync().ConfigureAwait(false);
            _closed = true;
        }
        else
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
            _closed = true;
            ct.ThrowIfCancellationRequested();
            // rename(2) replaces an existing file atomically: readers see the old or the new copy, never a mix.
            try { NativeSync.Rename(_partPath, FullPath); }
            catch (DirectoryNotFoundException) when (File.Exists(_partPath))
            {
                // The destination folder went away after AssignDestination (a study deleted meanwhile): make it again.
                Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
                _createdFolder = true;
                NativeSync.Rename(_partPath, FullPath);
            }
            IsCommitted = true;
        }
        if (_store.QueueBackgroundSync(FullPath)) return;
        // Journal mode: the content is durable (write-once: this file, synced by the group syncfs before the rename; data
        // mode: the journal record); the journal's checkpoint (syncfs) makes this rename durable.
        if (!_store.SyncsEachFile) return;
        var folder = Path.GetDirectoryName(FullPath)!;
        await Task.Run(() =>
        {
            NativeSync.SyncDirectory(folder);
            // A new series folder is itself an entry of the study folder, and so on up to the root.
            if (_createdFolder)
            {
                var series = Path.GetDirectoryName(folder)!;
                NativeSync.SyncDirectory(series);
                NativeSync.SyncDirectory(Path.GetDirectoryName(series)!);
            }
        }, CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_closed)
            {
                _closed = true;
                await _stream.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (!IsCommitted && _partPath is not null) _store.DeletePart(_partPath);
        }
    }
}
