using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace EdgeCancer.Dicom.Benchmarks;

/// <summary>
/// A fast Stopwatch harness (about a minute for 300 files): for each <see cref="ParseMode"/>, one warm-up pass over
/// the series, then timed passes for at least two seconds and <c>repeat</c> passes (median reported) with allocations counted by
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>; then dcmdump over the same files, also warmed up and
/// repeated, and the ratio of files per second. Less rigorous than BenchmarkDotNet, good enough for a ratio.
/// </summary>
public static class QuickHarness
{
    // A pass over 300 headers takes a few tens of milliseconds; keep passing until the median means something.
    private static readonly TimeSpan MinimumMeasuredTime = TimeSpan.FromSeconds(2);

    /// <summary>Runs the harness and prints the table; returns the process exit code.</summary>
    public static int Run(string folder, int repeat, bool withDcmdump, TextWriter output)
    {
        var files = SeriesFolder.Files(folder);
        long totalBytes = files.Sum(f => new FileInfo(f).Length);
        double megabytes = totalBytes / 1e6;
        string? dcmdumpVersion = withDcmdump ? Dcmdump.Version() : null;
        if (withDcmdump && dcmdumpVersion is null)
        {
            Console.Error.WriteLine($"{Dcmdump.Path} is missing; install the Debian package dcmtk, or pass --no-dcmdump.");
            return 2;
        }

        WarmUp(files);
        output.WriteLine($"Series: {files.Length} files, {megabytes:F1} MB in {folder}");
        output.WriteLine($"Runtime: .NET {Environment.Version}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores; " +
                         $"median pass time after warm-up (ours: at least {repeat} passes and 2 s, dcmdump: {repeat} runs); files in the page cache for both sides.");
        if (dcmdumpVersion is not null) output.WriteLine($"Peer: {dcmdumpVersion}, one process for all files.");
        output.WriteLine();
        output.WriteLine("| mode | ours files/s | ours MB/s | ours allocated/file | dcmdump run | dcmdump files/s | dcmdump MB/s | ratio (ours ÷ dcmdump files/s) |");
        output.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|");
        foreach (var mode in Enum.GetValues<ParseMode>())
        {
            var (ours, allocatedPerFile) = MeasureOurs(files, mode, repeat);
            string row = $"| {mode} | {Rate(files.Length, ours)} | {Rate(megabytes, ours)} | {Bytes(allocatedPerFile)} |";
            if (withDcmdump)
            {
                var args = Parser.DcmdumpArguments(mode);
                Dcmdump.Time(files, args); // warm-up
                var theirs = Median(Enumerable.Range(0, repeat).Select(_ => Dcmdump.Time(files, args)));
                double ratio = theirs.TotalSeconds / ours.TotalSeconds;
                row += $" `{Parser.DcmdumpDescription(mode)}` | {Rate(files.Length, theirs)} | {Rate(megabytes, theirs)} | {ratio.ToString("F2", CultureInfo.InvariantCulture)}× |";
            }
            else
            {
                row += " (skipped) | | | |";
            }

            output.WriteLine(row);
        }

        output.WriteLine();
        output.WriteLine("MB/s counts whole-file bytes in every mode (a header-only read touches only the first few KB of each file).");
        return 0;
    }

    private static (TimeSpan Median, long AllocatedPerFile) MeasureOurs(string[] files, ParseMode mode, int repeat)
    {
        int sink = Pass(files, mode); // warm-up of this mode: page cache, array pool
        var times = new List<TimeSpan>();
        long allocated = long.MaxValue;
        var total = Stopwatch.StartNew();
        for (int r = 0; r < repeat || total.Elapsed < MinimumMeasuredTime; r++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            sink += Pass(files, mode);
            watch.Stop();
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
            times.Add(watch.Elapsed);
        }

        GC.KeepAlive(sink);
        return (Median(times), allocated / files.Length);
    }

    // Every mode shares the reader; run them all until tiered JIT has settled, so the first mode measured is not
    // the one that pays for tier-0 code.
    private static void WarmUp(string[] files)
    {
        var watch = Stopwatch.StartNew();
        int sink = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            foreach (var mode in Enum.GetValues<ParseMode>()) sink += Pass(files, mode);
        }

        GC.KeepAlive(sink);
    }

    private static int Pass(string[] files, ParseMode mode)
    {
        int count = 0;
        foreach (var file in files) count += Parser.Parse(file, mode);
        return count;
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> times)
    {
        var sorted = times.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Rate(double amount, TimeSpan time) =>
        (amount / time.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 20 => (bytes / 1048576.0).ToString("F2", CultureInfo.InvariantCulture) + " MiB",
        >= 1 << 10 => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
