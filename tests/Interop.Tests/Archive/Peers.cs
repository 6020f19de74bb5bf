using System.Diagnostics;
using System.Text;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>Runs DCMTK's network tools with <c>TCP_NODELAY=1</c> (Debian's DCMTK otherwise leaves Nagle on).</summary>
internal static class Peers
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    public static ProcessStartInfo StartInfo(string tool, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(PeerTools.Require(tool), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.Latin1,
            StandardErrorEncoding = Encoding.Latin1,
        };
        psi.Environment["TCP_NODELAY"] = "1";
        psi.Environment["LC_ALL"] = "C";
        return psi;
    }

    public static async Task<Result> RunAsync(string tool, params string[] args) => await RunAsync(tool, args, TimeSpan.FromSeconds(120));

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> args, TimeSpan timeout)
    {
        using var p = new Process { StartInfo = StartInfo(tool, args) };
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(true);
            Assert.Fail($"{tool} {string.Join(' ', args)} did not finish in {timeout.TotalSeconds} s:\n{output}");
        }
        p.WaitForExit();
        lock (output) return new Result(p.ExitCode, output.ToString());
    }
}
