using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// fsync of files and directories. .NET cannot open a directory as a file handle, and a rename is only durable once
/// the directory entry is flushed (POSIX: fsync on the directory), so on Linux we call libc directly.
/// </summary>
internal static partial class NativeSync
{
    private const int O_RDONLY = 0;
    private const int O_DIRECTORY = 0x10000; // 0200000 on Linux x86-64 and arm64
    private const int O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int fd);

    /// <summary>
    /// Flushes a file's data (and only the metadata needed to read it back) to stable storage: the ingest journal,
    /// whose blocks are preallocated, so no metadata changes and the sync is one data write.
    /// </summary>
    public static void DataSync(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fdatasync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>
    /// syncfs(2) of the file system holding <paramref name="path"/>: every dirty file, directory entry and inode of
    /// that file system reaches stable storage (Linux ≥ 5.8 reports write-back errors). The journal's checkpoint.
    /// </summary>
    public static void SyncFileSystem(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"Cannot open '{path}' to syncfs it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Syncfs(fd) != 0) throw new IOException($"syncfs of '{path}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { Close(fd); }
    }

    /// <summary>Flushes a directory's entries (after a rename or create) to stable storage. No-op off Linux.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return;
        int fd = Open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"Cannot open directory '{directory}' to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of directory '{directory}' failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { Close(fd); }
    }

    /// <summary>Flushes an open file's data and metadata to stable storage.</summary>
    public static void SyncFile(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fsync((int)handle.DangerousGetHandle()) != 0)
                throw new IOException($"fsync failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    /// <summary>Flushes a closed file by path (fast mode's background flusher).</summary>
    public static void SyncFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        SyncFile(handle);
    }
}
