using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// The archive's files: <c>{root}/{StudyUID}/{SeriesUID}/{SOPInstanceUID}.dcm</c>. Writers stream into a
/// <c>.part</c> file in the target folder; <see cref="PendingFile.CommitAsync"/> makes it durable and visible.
/// </summary>
public sealed class FileStore
{
    public const string PartSuffix = ".part";
    public const string FileSuffix = ".dcm";

    private readonly FileStoreOptions _options;
    private readonly FileSyncQueue? _syncQueue;
    private readonly ILogger _logger;

    public FileStore(IOptions<FileStoreOptions> options, ILogger<FileStore>? logger = null, FileSyncQueue? syncQueue = null, WriteAheadJournal? journal = null)
    {
        CreatedAtUtc = DateTime.UtcNow;
        Journal = options.Value.FastMode ? null : journal;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _syncQueue = syncQueue;
        if (_options.FastMode && syncQueue is null)
            throw new ArgumentException("Archive:Storage:FastMode needs a FileSyncQueue and its BackgroundFlusher.", nameof(syncQueue));
        Root = Path.GetFullPath(_options.Root);
        Directory.CreateDirectory(Root);
    }

    /// <summary>Absolute path of the store's root folder.</summary>
    public string Root { get; }

    /// <summary>
    /// When this store was created. No staging file of this store can be older, so older <c>.part</c> files are
    /// leftovers of an earlier run (an earlier process, or an earlier host in the same process).
    /// </summary>
    public DateTime CreatedAtUtc { get; }

    public bool FastMode => _options.FastMode;

    /// <summary>The ingest journal of durable mode, or null (fast mode, or each instance synced on its own).</summary>
    public WriteAheadJournal? Journal { get; }

    /// <summary>
    /// True when the journal holds intent records (<see cref="JournalMode.WriteOnce"/>): a staged file is made durable
    /// by the journal's group commit before it is renamed.
    /// </summary>
    public bool JournalWritesOnce => Journal is not null && _options.JournalMode == JournalMode.WriteOnce;

    /// <summary>Write-once mode with <see cref="FileStoreOptions.EarlyWriteBack"/>: a complete staged file starts its write-back at once.</summary>
    internal bool StartsWriteBackEarly => JournalWritesOnce && _options.EarlyWriteBack;

    /// <summary>True when each commit fsyncs its file and folder itself (neither fast nor journal mode).</summary>
    internal bool SyncsEachFile => !_options.FastMode && Journal is null;

    /// <summary>Free space of the volume holding the root, against the watermark.</summary>
    public SpaceCheck CheckFreeSpace()
    {
        if (_options.FreeSpaceWatermarkBytes <= 0) return new SpaceCheck(long.MaxValue, 0);
        return new SpaceCheck(new DriveInfo(Root).AvailableFreeSpace, _options.FreeSpaceWatermarkBytes);
    }

    /// <summary>
    /// The free-space check of each new instance. A <c>statfs</c> per instance is wasted while there is plenty of room:
    /// the last answer is reused for <see cref="SpaceRecheckInterval"/> as long as it left more than
    /// <see cref="SpaceRecheckHeadroomBytes"/> above the watermark (far more than can be written in that time); closer
    /// to the watermark every instance checks again.
    /// </summary>
    private SpaceCheck CheckFreeSpaceForWrite()
    {
        if (_options.FreeSpaceWatermarkBytes <= 0) return new SpaceCheck(long.MaxValue, 0);
        var last = Volatile.Read(ref _lastSpaceCheck);
        long now = Environment.TickCount64;
        if (last is not null && now - last.At < SpaceRecheckInterval.TotalMilliseconds
            && last.Check.AvailableBytes - last.Check.WatermarkBytes > SpaceRecheckHeadroomBytes)
            return last.Check;
        var check = CheckFreeSpace();
        Volatile.Write(ref _lastSpaceCheck, new TimedSpaceCheck(now, check));
        return check;
    }

    // The refusal of a new write when the volume is below the watermark (BeginWrite and BeginIncoming), or null.
    private BeginWriteResult? RefusalBelowWatermark()
    {
        var space = CheckFreeSpaceForWrite();
        if (!space.IsBelowWatermark) return null;
        StorageLog.BelowWatermark(_logger, space.AvailableBytes, space.WatermarkBytes, Root);
        return new BeginWriteResult(null, FileStoreError.BelowWatermark,
            $"Out of resources: {space.AvailableBytes / (1024 * 1024)} MiB free, below the {space.WatermarkBytes / (1024 * 1024)} MiB watermark");
    }

    /// <summary>How long a free-space answer with ample headroom is reused.</summary>
    internal static readonly TimeSpan SpaceRecheckInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Room above the watermark below which every instance checks the free space again: 1 GiB.</summary>
    internal const long SpaceRecheckHeadroomBytes = 1L << 30;

    private sealed record TimedSpaceCheck(long At, SpaceCheck Check);

    private TimedSpaceCheck? _lastSpaceCheck;
    private readonly string _partPrefix = $"{Environment.ProcessId:x}-{Random.Shared.Next():x8}-";
    private long _partCounter;
    // Unnamed staged files are named through /proc/self/fd (NativeSync.LinkUnnamed): without /proc, named ones.
    private volatile bool _noUnnamedFiles = !Directory.Exists("/proc/self/fd");

    // The folder of the last instance this thread gave a place (an association's instances arrive on its own receive
    // thread, and each association usually sends one series): known to exist, not checked again.
    [ThreadStatic] private static string? t_lastFolder;

    // This thread's staging slot, 1-based (0: none drawn yet); see IncomingSlots.
    [ThreadStatic] private static int t_incomingSlot;
    private static int s_nextIncomingSlot;

    /// <summary>The path of an instance relative to the root, after validating the three UIDs.</summary>
    public static UidProblem TryGetRelativePath(string? studyUid, string? seriesUid, string? sopInstanceUid, out string relativePath, out string? message)
    {
        relativePath = "";
        message = null;
        foreach (var (name, uid) in new[] { ("Study Instance UID", studyUid), ("Series Instance UID", seriesUid), ("SOP Instance UID", sopInstanceUid) })
        {
            var problem = StorageUid.Check(uid);
            if (problem != UidProblem.None)
            {
                message = StorageUid.Describe(name, uid, problem);
                return problem;
            }
        }
        // Only validated UIDs reach Path.Combine.
        relativePath = string.Join('/', studyUid, seriesUid, sopInstanceUid + FileSuffix);
        return UidProblem.None;
    }

    /// <summary>Absolute path of a stored file from its relative path.</summary>
    public string GetFullPath(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Path '{relativePath}' is outside the store root.", nameof(relativePath));
        return full;
    }

    /// <summary>
    /// Starts writing an instance: validates UIDs (before any path is built) and free space, creates the folders
    /// and opens a uniquely named <c>.part</c> file beside the final name. Dispose without commit deletes it.
    /// </summary>
    public BeginWriteResult BeginWrite(string? studyUid, string? seriesUid, string? sopInstanceUid)
    {
        if (TryGetRelativePath(studyUid, seriesUid, sopInstanceUid, out var relative, out var message) != UidProblem.None)
        {
            StorageLog.InvalidUid(_logger, message!);
            return new BeginWriteResult(null, FileStoreError.InvalidUid, message);
        }
        if (RefusalBelowWatermark() is { } refused) return refused;
        var finalPath = GetFullPath(relative);
        var folder = Path.GetDirectoryName(finalPath)!;
        bool created = !Directory.Exists(folder);
        if (created) Directory.CreateDirectory(folder);
        // A random suffix lets two associations write the same SOP Instance UID at once; the last commit wins.
        var partPath = $"{finalPath}.{Guid.NewGuid():N}{PartSuffix}";
        var stream = new StagingStream(File.OpenHandle(partPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None),
            _options.WriteBufferSize, HeaderPrefixBytes);
        return new BeginWriteResult(new PendingFile(this, stream, partPath, finalPath, relative, created), FileStoreError.None, null);
    }

    /// <summary>
    /// Starts writing an instance whose study and series are not known yet (a C-STORE's data arrives before its
    /// dataset can be read): a <c>.part</c> file under <c>{root}/.incoming/{slot}</c>, readable while it is written.
    /// Once the header is parsed, <see cref="AssignDestination"/> gives it its final place; commit renames it there.
    /// </summary>
    /// <remarks>
    /// Creating a file and renaming it out of a folder both take that folder's lock for writing: with one staging
    /// folder, parallel associations queued on it (5.7 % of the node's CPU spun in <c>rwsem_spin_on_owner</c> under
    /// <c>openat</c> and <c>rename</c> with 4 associations). Each thread stages in one of <see cref="IncomingSlots"/>
    /// folders instead, drawn in turn when the thread first stages; an association's instances arrive on its own
    /// receive thread, so concurrent associations use different folders.
    /// </remarks>
    public BeginWriteResult BeginIncoming()
    {
        if (RefusalBelowWatermark() is { } refused) return refused;
        if (t_incomingSlot == 0) t_incomingSlot = (int)((uint)Interlocked.Increment(ref s_nextIncomingSlot) % IncomingSlots) + 1;
        var incoming = Path.Combine(Root, IncomingFolder, IncomingSlotNames[t_incomingSlot - 1]);
        // Read-write: the ingest journal copies the staged bytes through this handle instead of reopening the file.
        // The folder is created when missing, not checked before every instance (a mkdir and a stat per image).
        string? partPath;
        SafeFileHandle handle;
        try { handle = CreateStaged(incoming, out partPath); }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(incoming);
            handle = CreateStaged(incoming, out partPath);
        }
        var stream = new StagingStream(handle, _options.WriteBufferSize, HeaderPrefixBytes, computeCrc: JournalWritesOnce);
        return new BeginWriteResult(new PendingFile(this, stream, partPath, "", "", false), FileStoreError.None, null);
    }

    // Fast mode: a file without a name until its commit links it into place (NativeSync.TryCreateUnnamed; partPath
    // null): no directory entry to add in the staging folder and remove again by the rename, and nothing left behind
    // by a crash. Otherwise, and where the file system has no O_TMPFILE (then not tried again), a named .part file: the
    // durable modes keep those (the write-once journal's intent records name them).
    private SafeFileHandle CreateStaged(string folder, out string? partPath)
    {
        if (_options.FastMode && !_noUnnamedFiles)
        {
            partPath = null;
            if (NativeSync.TryCreateUnnamed(folder) is { } unnamed) return unnamed;
            _noUnnamedFiles = true;
        }
        // Unique without a random draw per instance: a prefix drawn once per store, then a counter.
        partPath = Path.Combine(folder, string.Concat(_partPrefix, Interlocked.Increment(ref _partCounter).ToString("x"), PartSuffix));
        return NativeSync.CreateNew(partPath);
    }

    /// <summary>
    /// Bytes at the start of every staged file kept in memory, so that its header is parsed without rereading the
    /// file (a CT or MR header is a few KB; a larger one is read from the file).
    /// </summary>
    internal const int HeaderPrefixBytes = 64 * 1024;

    /// <summary>Folder (under the root) for instances still being received, in <see cref="IncomingSlots"/> subfolders.</summary>
    public const string IncomingFolder = ".incoming";

    /// <summary>Staging subfolders of <see cref="IncomingFolder"/> (named 0 to f).</summary>
    internal const int IncomingSlots = 16;

    private static readonly string[] IncomingSlotNames = [.. Enumerable.Range(0, IncomingSlots).Select(i => i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Gives a staged file its final place after validating the UIDs; the rename happens at commit (same volume, atomic).</summary>
    public UidProblem AssignDestination(PendingFile file, string? studyUid, string? seriesUid, string? sopInstanceUid, out string? message)
    {
        var problem = TryGetRelativePath(studyUid, seriesUid, sopInstanceUid, out var relative, out message);
        if (problem != UidProblem.None)
        {
            StorageLog.InvalidUid(_logger, message!);
            return problem;
        }
        var finalPath = GetFullPath(relative);
        var folder = Path.GetDirectoryName(finalPath)!;
        // The instances of a series arrive together: the folder of the last one is known to exist (a stat per
        // instance otherwise). Should it be removed meanwhile, the commit's rename makes it again.
        bool created = false;
        if (!string.Equals(t_lastFolder, folder, StringComparison.Ordinal))
        {
            created = !Directory.Exists(folder);
            if (created) Directory.CreateDirectory(folder);
            t_lastFolder = folder;
        }
        file.Retarget(finalPath, relative, created);
        return UidProblem.None;
    }

    /// <summary>
    /// True when the file at <paramref name="fullPath"/> has exactly <paramref name="length"/> bytes whose CRC-32C is
    /// <paramref name="crc"/> (replay of an intent record: which of the staged or final file holds the instance).
    /// </summary>
    internal static bool FileMatches(string fullPath, long length, uint crc)
    {
        SafeFileHandle handle;
        try { handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
        catch (FileNotFoundException) { return false; }
        catch (DirectoryNotFoundException) { return false; }
        using (handle)
        {
            if (RandomAccess.GetLength(handle) != length) return false;
            var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20);
            try
            {
                uint c = 0;
                for (long done = 0; done < length;)
                {
                    int n = RandomAccess.Read(handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), done);
                    if (n <= 0) return false;
                    c = Crc32C.Append(c, buffer.AsSpan(0, n));
                    done += n;
                }
                return c == crc;
            }
            finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
        }
    }

    internal bool QueueBackgroundSync(string finalPath)
    {
        if (!_options.FastMode || _syncQueue is null) return false;
        _syncQueue.Enqueue(finalPath);
        return true;
    }

    internal void DeletePart(string partPath)
    {
        try { File.Delete(partPath); }
        catch (IOException ex) { StorageLog.PartDeleteFailed(_logger, ex, partPath); }
        catch (UnauthorizedAccessException ex) { StorageLog.PartDeleteFailed(_logger, ex, partPath); }
    }

    /// <summary>Deletes a stored file (e.g. when the index transaction failed after the rename of a new instance).</summary>
    public void Delete(string relativePath)
    {
        var full = GetFullPath(relativePath);
        if (File.Exists(full)) File.Delete(full);
    }

    /// <summary>
    /// Crash recovery, run once at start: a <c>.part</c> file is a write that never committed, so no success was
    /// sent for it. Deletes them all and logs how many.
    /// </summary>
    /// <param name="writtenBefore">
    /// Only files last written before this time (UTC), e.g. the process start, so that a write another role of this
    /// process has just begun (the worker storing a report) is not taken for a leftover.
    /// </param>
    public int DeleteLeftoverPartFiles(DateTime? writtenBefore = null)
    {
        int count = 0;
        foreach (var part in Directory.EnumerateFiles(Root, "*" + PartSuffix, SearchOption.AllDirectories))
        {
            if (writtenBefore is { } limit && File.GetLastWriteTimeUtc(part) >= limit) continue;
            DeletePart(part);
            count++;
        }
        if (count > 0) StorageLog.DeletedPartFiles(_logger, count, Root);
        return count;
    }
}
