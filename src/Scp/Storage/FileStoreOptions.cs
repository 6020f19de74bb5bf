namespace EdgeCancer.Scp.Storage;

/// <summary>Settings of the <see cref="FileStore"/> (config section <c>Archive:Storage</c>).</summary>
public sealed class FileStoreOptions
{
    /// <summary>Folder that holds <c>{StudyUID}/{SeriesUID}/{SOPInstanceUID}.dcm</c>.</summary>
    public string Root { get; set; } = "./data/dicom";

    /// <summary>
    /// Refuse new instances when the free space of the volume holding <see cref="Root"/> is below this many bytes
    /// (the store handler answers 0xA700 "Refused: Out of Resources"). 0 disables the check.
    /// </summary>
    public long FreeSpaceWatermarkBytes { get; set; } = 1L << 30;

    /// <summary>
    /// Fast mode: <see cref="PendingFile.CommitAsync"/> renames without fsync and a background flusher syncs the file
    /// and its folder a moment later. Success can then reach the SCU before the bytes are durable: a power loss (not a
    /// process crash) in that window loses instances the sender believes stored. DCMTK storescp behaves this way.
    /// Off by default: success is sent only after fsync of the file, rename and fsync of the folder.
    /// </summary>
    public bool FastMode { get; set; }

    /// <summary>
    /// Fast mode: the longest an acknowledged file waits for the background sync while instances keep arriving
    /// (5 s, the interval at which ext4 commits its own journal by default). See <see cref="FastModeQuietPeriod"/>.
    /// </summary>
    public TimeSpan FastModeFlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Fast mode: the background sync runs as soon as no instance has been stored for this long (200 ms), so a series
    /// is durable a moment after its last image. During a burst it waits (up to <see cref="FastModeFlushInterval"/>):
    /// a <c>syncfs</c> every 200 ms in the middle of the burst made every create and rename wait on the file system's
    /// journal commit, and cost 20–35 % of the images/s of 4 associations (benchmarks/README.md, run F).
    /// </summary>
    public TimeSpan FastModeQuietPeriod { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Buffer of the stream handed to writers (pooled, one per instance being written), where small pieces (a PDV's
    /// first bytes, a command's data) are gathered. Spans of at least a quarter of it (the bulk of a data set, a PDU's
    /// size at a time) are not copied into it: each goes to the file from where it is, whole, in one write together
    /// with the bytes buffered before it (a 512×512 CT slice sent by DCMTK in five writes).
    /// </summary>
    /// <remarks>
    /// Run G measured 512 KiB writes as costly on a VM; run H found the cause in the VM (free page reporting: the page
    /// cache filled pages fresh from the host, at any write size). Run I wrote the spans whole instead of in pieces of
    /// this size: nine writes per slice became five (benchmarks/README.md).
    /// </remarks>
    public int WriteBufferSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Durable mode through the ingest journal (when <see cref="FastMode"/> is off): each instance is journalled and
    /// made durable with one shared sync before success (see <see cref="JournalMode"/>); the rename and the index row
    /// are written without sync and made durable by a background checkpoint. Off: every instance is synced
    /// on its own (fsync of the file, of its folder, and the index commit). The node turns it on by default.
    /// </summary>
    public bool Journal { get; set; }

    /// <summary>
    /// What a journal record holds (durable mode with <see cref="Journal"/>): <see cref="JournalMode.WriteOnce"/>
    /// (default) — the staged file is made durable by the group commit and the record only names it, so every byte is
    /// written once; <see cref="JournalMode.Data"/> — the record carries the instance's bytes (written twice). See
    /// docs/archive.md, "Durable mode".
    /// </summary>
    public JournalMode JournalMode { get; set; } = JournalMode.WriteOnce;

    /// <summary>
    /// Write-once durable mode: start the write-back of a staged file (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>,
    /// no wait) as soon as it is complete, so that the group sync that follows finds its data already on the way.
    /// </summary>
    public bool EarlyWriteBack { get; set; } = true;

    /// <summary>Journal file; default <c>{Root}/../journal/ingest.journal</c>.</summary>
    public string? JournalPath { get; set; }

    /// <summary>Journal size (preallocated once). Instances larger than a quarter of it are synced on their own.</summary>
    public long JournalSizeBytes { get; set; } = 256L << 20;

    /// <summary>How often the checkpoint makes materialised instances durable and retires their journal records.</summary>
    public TimeSpan JournalCheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>What the ingest journal's records hold (<see cref="FileStoreOptions.JournalMode"/>).</summary>
public enum JournalMode
{
    /// <summary>An intent record (staged path, final path, length, CRC-32C); the staged file itself is synced.</summary>
    WriteOnce,

    /// <summary>The instance's Part 10 bytes; the staged file is synced later by the checkpoint.</summary>
    Data,
}

