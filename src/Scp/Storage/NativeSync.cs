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

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, [Out] byte[] buffer);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);

    private const uint SYNC_FILE_RANGE_WRITE = 2;

    /// <summary>
    /// True when both paths are on the same file system (same <c>st_dev</c>), so one <c>syncfs</c> covers both. False
    /// when unknown (off Linux, or <c>stat</c> failed): the caller then syncs each on its own.
    /// </summary>
    public static bool SameFileSystem(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        // struct stat is 144 bytes on x86-64 and 128 on arm64; st_dev (a 64-bit dev_t) is its first field on both.
        var buffer = new byte[256];
        try
        {
            if (Stat(a, buffer) != 0) return false;
            ulong devA = BitConverter.ToUInt64(buffer, 0);
            if (Stat(b, buffer) != 0) return false;
            return devA == BitConverter.ToUInt64(buffer, 0);
        }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>
    /// Starts write-back of a file's dirty pages without waiting (<c>sync_file_range(SYNC_FILE_RANGE_WRITE)</c>), so
    /// that a group sync shortly after finds them already on their way. Not a durability guarantee; errors are ignored.
    /// </summary>
    public static void StartWriteBack(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            SyncFileRange((int)handle.DangerousGetHandle(), 0, 0, SYNC_FILE_RANGE_WRITE);
        }
        finally { if (added) handle.DangerousRelease(); }
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

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [LibraryImport("libc", EntryPoint = "pwritev", SetLastError = true)]
    private static unsafe partial nint PWriteV(int fd, IoVec* iov, int count, long offset);

    /// <summary>
    /// Writes <paramref name="first"/> then <paramref name="second"/> at <paramref name="offset"/> with one
    /// <c>pwritev(2)</c> (continued after a short write): two pieces of a file in two buffers, neither copied into the other.
    /// </summary>
    public static unsafe void WriteGathered(SafeFileHandle handle, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, long offset)
    {
        if (!OperatingSystem.IsLinux())
        {
            RandomAccess.Write(handle, first, offset);
            RandomAccess.Write(handle, second, offset + first.Length);
            return;
        }
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            fixed (byte* a = first)
            fixed (byte* b = second)
            {
                var iov = stackalloc IoVec[2];
                iov[0] = new IoVec { Base = a, Length = (nuint)first.Length };
                iov[1] = new IoVec { Base = b, Length = (nuint)second.Length };
                var at = iov;
                int count = 2;
                while (count > 0)
                {
                    nint n = PWriteV(fd, at, count, offset);
                    if (n < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno == 4) continue; // EINTR
                        throw new IOException($"Cannot write the staged file: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
                    }
                    if (n == 0) throw new IOException("Cannot write the staged file: pwritev wrote nothing.");
                    offset += n;
                    // Past the pieces written whole, into the one written in part.
                    while (count > 0 && (nuint)n >= at->Length)
                    {
                        n -= (nint)at->Length;
                        at++;
                        count--;
                    }
                    if (count > 0)
                    {
                        at->Base += n;
                        at->Length -= (nuint)n;
                    }
                }
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    private const int O_RDWR = 2;
    private const int O_CREAT = 0x40;
    private const int O_EXCL = 0x80;
    private const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenMode(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string from, string to);

    /// <summary>
    /// Creates a new file for reading and writing (<c>O_CREAT|O_EXCL</c>, mode 0666 less the umask). On Linux this is
    /// one <c>open(2)</c>: <see cref="File.OpenHandle"/> adds an advisory <c>flock</c>, an <c>fstatfs</c> and an
    /// <c>lseek</c> per file, which nothing here needs (staged files are private to the writer and found again by
    /// name and time only). Throws <see cref="DirectoryNotFoundException"/> when the folder is missing.
    /// </summary>
    public static SafeFileHandle CreateNew(string path)
    {
        if (!OperatingSystem.IsLinux()) return File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        int fd = OpenMode(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0x1B6 /* 0666 */);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == ENOENT) throw new DirectoryNotFoundException($"Cannot create '{path}': its folder does not exist.");
            throw new IOException($"Cannot create '{path}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// rename(2): atomically gives <paramref name="from"/> the name <paramref name="to"/>, replacing an existing file.
    /// Throws <see cref="DirectoryNotFoundException"/> when either folder is missing. (<see cref="File.Move(string, string, bool)"/>
    /// adds an <c>lstat</c> of the source per call.)
    /// </summary>
    public static void Rename(string from, string to)
    {
        if (!OperatingSystem.IsLinux())
        {
            File.Move(from, to, overwrite: true);
            return;
        }
        if (RenameNative(from, to) == 0) return;
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ENOENT) throw new DirectoryNotFoundException($"Cannot rename '{from}' to '{to}': a folder or the file is missing.");
        throw new IOException($"Cannot rename '{from}' to '{to}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    // O_TMPFILE is __O_TMPFILE | O_DIRECTORY (020200000 on x86-64 and arm64).
    private const int O_TMPFILE = 0x410000;
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_FOLLOW = 0x400;
    private const int EEXIST = 17;
    private const int EISDIR = 21;
    private const int EINVAL = 22;
    private const int EOPNOTSUPP = 95;
    private static long s_linkCounter;

    [LibraryImport("libc", EntryPoint = "linkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkAt(int oldDirectory, string oldPath, int newDirectory, string newPath, int flags);

    /// <summary>
    /// Creates a file without a name in <paramref name="folder"/>'s file system (<c>open(O_TMPFILE)</c>), for reading
    /// and writing; <see cref="LinkUnnamed"/> names it. Until then nothing can find it, and when the process ends
    /// (even killed) before that, the kernel frees it: nothing half-written is ever left in the store. Null when the
    /// file system or platform cannot (the caller then stages a named file); throws
    /// <see cref="DirectoryNotFoundException"/> when the folder is missing.
    /// </summary>
    public static SafeFileHandle? TryCreateUnnamed(string folder)
    {
        if (!OperatingSystem.IsLinux()) return null;
        int fd = OpenMode(folder, O_RDWR | O_TMPFILE | O_CLOEXEC, 0x1B6 /* 0666 */);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ENOENT) throw new DirectoryNotFoundException($"Cannot create a file in '{folder}': the folder does not exist.");
        if (errno is EOPNOTSUPP or EISDIR or EINVAL) return null;
        throw new IOException($"Cannot create a file in '{folder}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);
    }

    /// <summary>The path through which an open file, named or not, can be opened again while it is open.</summary>
    public static string OpenFilePath(SafeFileHandle handle) => $"/proc/self/fd/{handle.DangerousGetHandle()}";

    /// <summary>
    /// Gives a file from <see cref="TryCreateUnnamed"/> the name <paramref name="to"/> (<c>linkat(2)</c> of its
    /// <c>/proc/self/fd</c> entry, which needs no privilege, unlike <c>AT_EMPTY_PATH</c>). An existing file of that
    /// name is replaced atomically, as by <see cref="Rename"/>: the file is linked beside it (a name ending in
    /// <paramref name="besideSuffix"/>, which start-up clears should the process die in between) and renamed over
    /// it. Throws <see cref="DirectoryNotFoundException"/> when the folder is missing.
    /// </summary>
    public static void LinkUnnamed(SafeFileHandle handle, string to, string besideSuffix)
    {
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var from = OpenFilePath(handle);
            if (LinkAt(AT_FDCWD, from, AT_FDCWD, to, AT_SYMLINK_FOLLOW) == 0) return;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EEXIST) throw LinkError(to, errno);
            var beside = $"{to}.{Environment.ProcessId:x}-{Interlocked.Increment(ref s_linkCounter):x}{besideSuffix}";
            if (LinkAt(AT_FDCWD, from, AT_FDCWD, beside, AT_SYMLINK_FOLLOW) != 0) throw LinkError(beside, Marshal.GetLastPInvokeError());
            try { Rename(beside, to); }
            catch
            {
                // The rename's error is the one to report; a link left here ends in besideSuffix and start-up clears it.
                try { File.Delete(beside); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                throw;
            }
        }
        finally { if (added) handle.DangerousRelease(); }
    }

    private static IOException LinkError(string to, int errno) => errno == ENOENT
        ? new DirectoryNotFoundException($"Cannot name a file '{to}': its folder does not exist.")
        : new IOException($"Cannot name a file '{to}': {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).", errno);

    /// <summary>Flushes a closed file by path (fast mode's background flusher).</summary>
    public static void SyncFile(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        SyncFile(handle);
    }
}
