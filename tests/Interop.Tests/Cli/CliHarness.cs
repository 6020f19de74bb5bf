using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EdgeCancer.Host.Commands;

namespace EdgeCancer.Interop.Tests.Cli;

/// <summary>Runs <c>edgecancer</c> commands in-process with captured output, and DCMTK peers as child processes.</summary>
internal static class CliHarness
{
    public const string TestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public sealed record CliResult(int Exit, string Out, string Err)
    {
        public override string ToString() => $"exit {Exit}\n--- stdout ---\n{Out}\n--- stderr ---\n{Err}";
    }

    /// <summary>Console is process-wide: callers are [NonParallelizable].</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(stdout));
        Console.SetError(TextWriter.Synchronized(stderr));
        try
        {
            int exit = await CliApp.RunAsync(args);
            return new CliResult(exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    public static string TestFile(string name)
    {
        var path = Path.Combine(TestFiles, name);
        if (!File.Exists(path)) Assert.Fail($"{path} is missing; install python3-pydicom.");
        return path;
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>A DCMTK server process, with TCP_NODELAY set, killed (with its children) on dispose.</summary>
    public sealed class Peer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        private Peer(Process process)
        {
            _process = process;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public static async Task<Peer> StartAsync(string tool, int port, params string[] args)
        {
            var psi = new ProcessStartInfo(PeerTools.Require(tool), args) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["TCP_NODELAY"] = "1";
            var peer = new Peer(Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start"));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return peer;
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !peer._process.HasExited)
                {
                    await Task.Delay(50);
                }
                catch (SocketException)
                {
                    var log = peer._process.HasExited ? await peer._stderr + await peer._stdout : "";
                    await peer.DisposeAsync();
                    Assert.Fail($"{tool} {string.Join(' ', args)} is not listening on port {port}: {log}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }

    /// <summary>Runs a DCMTK client tool to completion (TCP_NODELAY set).</summary>
    public static (int Exit, string Output) RunTool(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(PeerTools.Require(tool), args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); Assert.Fail($"{tool} did not finish in 60 s"); }
        return (p.ExitCode, o.Result + e.Result);
    }

    /// <summary>The bytes after a Part 10 file's meta.</summary>
    public static byte[] DatasetBytes(string path)
    {
        var header = EdgeCancer.Dicom.IO.DicomFile.OpenHeader(path);
        Assert.That(header.HadNoMeta, Is.False, $"{path} has no Part 10 meta");
        return File.ReadAllBytes(path)[(int)header.DatasetOffset..];
    }

    /// <summary>
    /// Equal data sets, except that DCMTK drops Data Set Trailing Padding (FFFC,FFFC) (CT_small.dcm ends with it):
    /// the received bytes must be a prefix of the original's and what is missing must start with that tag.
    /// </summary>
    public static void AssertSameDataset(byte[] received, byte[] original, string what)
    {
        Assert.That(received.Length, Is.LessThanOrEqualTo(original.Length), $"{what}: more bytes than the original");
        Assert.That(received, Is.EqualTo(original[..received.Length]), $"{what}: received bytes differ from the original's dataset");
        var rest = original[received.Length..];
        if (rest.Length > 0)
            Assert.That(rest[..4], Is.EqualTo(new byte[] { 0xFC, 0xFF, 0xFC, 0xFF }), $"{what}: {rest.Length} bytes missing, and they are not Data Set Trailing Padding");
    }
}
