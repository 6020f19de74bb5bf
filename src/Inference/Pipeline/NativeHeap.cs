using System.Runtime.InteropServices;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// Gives freed native heap memory back to the system. ONNX Runtime allocates model weights and activations with
/// malloc; loading (and checking) a model opens and closes sessions, and glibc keeps the freed pages resident, so the
/// process would carry hundreds of MB it no longer uses. <c>malloc_trim(0)</c> (glibc) releases them; elsewhere
/// (musl, macOS, Windows) this does nothing.
/// </summary>
public static partial class NativeHeap
{
    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    private const int M_MMAP_THRESHOLD = -3;
    private const int M_ARENA_MAX = -8;

    /// <summary>
    /// Sets glibc's allocator for a process that runs large models: blocks of at least <paramref name="mmapThresholdBytes"/>
    /// (the activations of a backbone pass) are mapped and unmapped on their own instead of being carved from heaps that
    /// then stay resident (a fixed threshold also stops glibc from raising it after each free), and at most
    /// <paramref name="arenas"/> malloc arenas are used instead of eight per core. Call before the models are loaded.
    /// Returns false where this is not glibc.
    /// </summary>
    public static bool ConfigureForModels(int mmapThresholdBytes = 1 << 20, int arenas = 2)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallOpt(M_MMAP_THRESHOLD, mmapThresholdBytes) == 1 & MallOpt(M_ARENA_MAX, arenas) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Releases free native heap pages; true when the C library did so.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }
}
