using System.Diagnostics;

namespace EdgeCancer.Dicom.Tests.Dictionary;

/// <summary>Runs Debian's peer tools that the dictionary tests compare against; fails clearly when one is missing.</summary>
internal static class PeerTools
{
    public const string DcmtkDictionary = "/usr/share/libdcmtk17/dicom.dic";
    private const string Python = "/usr/bin/python3";

    public static string RequireFile(string path, string package)
    {
        if (!File.Exists(path)) Assert.Fail($"{path} is missing; install the Debian package {package}.");
        return path;
    }

    public static string RunPython(string code)
    {
        RequireFile(Python, "python3-pydicom");
        var psi = new ProcessStartInfo(Python, ["-c", code]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string stdout = p.StandardOutput.ReadToEnd();
        string stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(30_000)) { p.Kill(); Assert.Fail("python3 did not finish in 30 s."); }
        if (p.ExitCode != 0) Assert.Fail($"python3 failed ({p.ExitCode}); is python3-pydicom installed? {stderr}");
        return stdout;
    }
}
