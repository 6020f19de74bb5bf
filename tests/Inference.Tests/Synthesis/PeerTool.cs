using System.Diagnostics;

namespace EdgeCancer.Inference.Tests.Synthesis;

/// <summary>Runs a Debian peer tool (dciodvfy, dcmdump); fails the test with the package to install when it is missing.</summary>
internal static class PeerTool
{
    public static (int ExitCode, string Output) Run(string tool, string package, params string[] args)
    {
        string path = "/usr/bin/" + tool;
        if (!File.Exists(path)) Assert.Fail($"{path} is missing; install the Debian package {package}.");
        var psi = new ProcessStartInfo(path, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(); Assert.Fail($"{tool} did not finish in 60 s."); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
