using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

/// <summary>Runs dciodvfy (dicom3tools) and dsrdump (DCMTK) on SR files; fails clearly when a tool is missing.</summary>
internal static partial class SrPeerTools
{
    public const string Dciodvfy = "/usr/bin/dciodvfy";
    public const string Dsrdump = "/usr/bin/dsrdump";

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Result Run(string tool, string package, params string[] args)
    {
        if (!File.Exists(tool)) Assert.Fail($"{tool} is missing; install the Debian package {package} (apt-get install -y {package}).");
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(); Assert.Fail($"{tool} did not finish in 60 s."); }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs dciodvfy and asserts it prints no "Error -" line (SR.md §5.2 acceptance rule); returns its output.</summary>
    public static string AssertDciodvfyClean(string path)
    {
        var r = Run(Dciodvfy, "dicom3tools", path);
        var errors = r.All.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.That(errors, Is.Empty, $"dciodvfy reported errors for {path}:\n{r.All}");
        return r.All;
    }

    /// <summary>Runs <c>dsrdump +Pc</c> and asserts exit code 0; returns stdout.</summary>
    public static string AssertDsrdump(string path, params string[] extra)
    {
        var r = Run(Dsrdump, "dcmtk", [.. extra, "+Pc", path]);
        Assert.That(r.ExitCode, Is.Zero, $"dsrdump failed ({r.ExitCode}) for {path}:\n{r.All}");
        Assert.That(r.Stderr, Does.Not.Contain("E: "), $"dsrdump reported errors for {path}:\n{r.All}");
        return r.Stdout;
    }

    /// <summary>The content-tree lines of dsrdump output (from the root CONTAINER on), right-trimmed, with UIDs masked as &lt;uid&gt;.</summary>
    public static IReadOnlyList<string> TreeLines(string dsrdumpOutput)
    {
        var lines = dsrdumpOutput.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).ToList();
        int start = lines.FindIndex(l => l.StartsWith("<CONTAINER", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no root CONTAINER in dsrdump output:\n{dsrdumpOutput}");
        return lines.Skip(start).Where(l => l.Length > 0).Select(MaskUids).ToList();
    }

    /// <summary>The header lines ("Name : value") of dsrdump output, keyed by name.</summary>
    public static IReadOnlyDictionary<string, string> HeaderFields(string dsrdumpOutput)
    {
        var fields = new Dictionary<string, string>();
        foreach (var line in dsrdumpOutput.Replace("\r", "").Split('\n'))
        {
            if (line.StartsWith('<')) break;
            int colon = line.IndexOf(" : ", StringComparison.Ordinal);
            if (colon > 0) fields[line[..colon].Trim()] = line[(colon + 3)..].Trim();
        }
        return fields;
    }

    public static string MaskUids(string line) => UidPattern().Replace(line, "\"<uid>\"");

    /// <summary>Compares golden tree lines with actual ones and reports the first difference with context.</summary>
    public static void AssertTree(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        int n = Math.Max(expected.Count, actual.Count);
        for (int i = 0; i < n; i++)
        {
            var e = i < expected.Count ? expected[i] : "(end)";
            var a = i < actual.Count ? actual[i] : "(end)";
            if (e != a)
                Assert.Fail($"dsrdump tree differs at line {i + 1}:\n  expected: {e}\n  actual:   {a}\nactual tree:\n{string.Join('\n', actual)}");
        }
    }

    [GeneratedRegex("\"[0-9][0-9.]{18,}\"")]
    private static partial Regex UidPattern();
}
