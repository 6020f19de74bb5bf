using System.Diagnostics;

namespace EdgeCancer.Interop.Tests;

/// <summary>Runs Debian's peer tools (DCMTK, dicom3tools); a missing tool fails the test with the package to install.</summary>
internal static class PeerTools
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal)
    {
        ["dcmdump"] = "dcmtk",
        ["dcmconv"] = "dcmtk",
        ["storescp"] = "dcmtk",
        ["storescu"] = "dcmtk",
        ["dcmqrscp"] = "dcmtk",
        ["dciodvfy"] = "dicom3tools",
    };

    public static string Require(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"{tool} is not installed; install the Debian package {Packages.GetValueOrDefault(tool, tool)} (.ci/run does this).");
        return tool;
    }

    public static Result Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(Require(tool), args) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.Latin1 };
        psi.Environment["LC_ALL"] = "C";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); Assert.Fail($"{tool} did not finish in 60 s."); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }
}
