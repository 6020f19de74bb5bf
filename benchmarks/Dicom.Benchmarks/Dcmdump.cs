using System.Diagnostics;

namespace EdgeCancer.Dicom.Benchmarks;

/// <summary>Times DCMTK's dcmdump over a whole series in one process (so process start-up is paid once).</summary>
public static class Dcmdump
{
    /// <summary>The dcmdump on PATH as Debian installs it.</summary>
    public const string Path = "/usr/bin/dcmdump";

    /// <summary>The first line of <c>dcmdump --version</c>, or null when dcmdump is not installed.</summary>
    public static string? Version()
    {
        if (!File.Exists(Path)) return null;
        var (output, _) = Run(["--version"]);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
    }

    /// <summary>Wall time of one dcmdump run over <paramref name="files"/>; throws when it reports an error.</summary>
    public static TimeSpan Time(IReadOnlyList<string> files, string[] arguments)
    {
        var watch = Stopwatch.StartNew();
        var (_, exitCode) = Run([.. arguments, .. files]);
        watch.Stop();
        if (exitCode != 0) throw new InvalidOperationException($"dcmdump {string.Join(' ', arguments)} exited with {exitCode}.");
        return watch.Elapsed;
    }

    private static (string Output, int ExitCode) Run(string[] arguments)
    {
        var start = new ProcessStartInfo(Path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Path}");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) Console.Error.WriteLine(stderr.Result);
        return (output, process.ExitCode);
    }
}
