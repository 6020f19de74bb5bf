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

    /// <summary>How long the background flusher waits to batch files in fast mode.</summary>
    public TimeSpan FastModeFlushInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Buffer size of the stream handed to writers.</summary>
    public int WriteBufferSize { get; set; } = 128 * 1024;
}
