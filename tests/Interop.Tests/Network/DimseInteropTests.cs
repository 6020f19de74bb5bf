using System.Diagnostics;
using System.Net;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Interop.Tests.Network;

/// <summary>DIMSE against DCMTK's echoscu/storescu (as SCUs) and storescp (as SCP).</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class DimseInteropTests
{
    private const string TestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private sealed class CapturingStore(string folder) : IStoreHandler
    {
        public ValueTask<(IStoreOperation?, DicomOutcome)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken)
        {
            var path = Path.Combine(folder, context.Request.AffectedSOPInstanceUID + ".raw");
            return ValueTask.FromResult<(IStoreOperation?, DicomOutcome)>((new Op(path), default));
        }

        private sealed class Op(string path) : IStoreOperation
        {
            private readonly FileStream _fs = new(path + ".part", FileMode.Create);
            public Stream Data => _fs;
            public async ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken)
            {
                await _fs.FlushAsync(cancellationToken);
                await _fs.DisposeAsync();
                File.Move(path + ".part", path, true);
                return DicomOutcome.Success;
            }
            public async ValueTask AbandonAsync() { await _fs.DisposeAsync(); File.Delete(path + ".part"); }
        }
    }

    private static AssociationPolicy Policy() => new()
    {
        AETitle = "EDGETEST",
        AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport>
        {
            ["1.2.840.10008.1.1"] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value]),
            [DicomUids.CTImageStorage.Value] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value, DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid.Value]),
            [DicomUids.MRImageStorage.Value] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value]),
        },
    };

    private static (int Code, string Output) Run(string tool, string args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} did not start; is DCMTK installed?");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); Assert.Fail($"{tool} {args} did not finish in 60 s"); }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Test]
    public async Task Echoscu_and_storescu_get_success_and_the_stored_bytes_equal_the_files_dataset()
    {
        var folder = Directory.CreateTempSubdirectory("ec-dimse").FullName;
        await using var server = new DicomServer(new IPEndPoint(IPAddress.Loopback, 0), Policy, () => new DicomServiceDispatcher(new CapturingStore(folder), null, null));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var run = server.RunAsync(cts.Token);
        int port = server.LocalEndPoint.Port;

        var echo = Run("echoscu", $"-aec EDGETEST 127.0.0.1 {port}");
        Assert.That(echo.Code, Is.EqualTo(0), echo.Output);

        var file = Path.Combine(TestFiles, "CT_small.dcm");
        var store = Run("storescu", $"-aec EDGETEST -xs 127.0.0.1 {port} {file}");
        Assert.That(store.Code, Is.EqualTo(0), store.Output);

        var header = DicomFile.OpenHeader(file);
        var uid = header.Dataset.GetString(DicomTags.SOPInstanceUID);
        var stored = await File.ReadAllBytesAsync(Path.Combine(folder, uid + ".raw"));
        var original = (await File.ReadAllBytesAsync(file))[(int)header.DatasetOffset..];
        AssertSameDataset(stored, original);

        var wrongAe = Run("echoscu", $"-aec NOTUS 127.0.0.1 {port}");
        Assert.That(wrongAe.Code, Is.Not.EqualTo(0));
        Assert.That(wrongAe.Output, Does.Contain("Called AE Title Not Recognized"));
        cts.Cancel();
        try { await run; } catch (OperationCanceledException) { }
    }

    [Test]
    public async Task Our_client_echoes_and_stores_to_DCMTK_storescp_byte_for_byte()
    {
        var folder = Directory.CreateTempSubdirectory("ec-storescp").FullName;
        int port = FreePort();
        var psi = new ProcessStartInfo("storescp", $"-aet STORESCP -od {folder} +xa {port}") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["TCP_NODELAY"] = "1";
        using var scp = Process.Start(psi)!;
        try
        {
            await Task.Delay(500);
            var file = Path.Combine(TestFiles, "CT_small.dcm");
            await using var client = await ConnectWithRetry(port);
            var echo = await client.EchoAsync();
            Assert.That(echo.Status, Is.EqualTo(DicomStatus.Success));
            var rsp = await client.StoreAsync(file);
            Assert.That(rsp.Status, Is.EqualTo(DicomStatus.Success), rsp.ToString());
            await client.ReleaseAsync();

            var received = Directory.GetFiles(folder).Single();
            var a = DicomFile.Open(received);
            var b = DicomFile.Open(file);
            var bytesA = (await File.ReadAllBytesAsync(received))[(int)a.DatasetOffset..];
            var bytesB = (await File.ReadAllBytesAsync(file))[(int)b.DatasetOffset..];
            AssertSameDataset(bytesA, bytesB);
        }
        finally
        {
            scp.Kill(true);
        }
    }

    // DCMTK drops Data Set Trailing Padding (FFFC,FFFC), which CT_small.dcm ends with; everything before it must be identical.
    private static void AssertSameDataset(byte[] received, byte[] original)
    {
        Assert.That(received, Is.EqualTo(original[..Math.Min(received.Length, original.Length)]), "received bytes differ from the file's dataset");
        var rest = original[received.Length..];
        if (rest.Length > 0) Assert.That(rest[..4], Is.EqualTo(new byte[] { 0xFC, 0xFF, 0xFC, 0xFF }), "only trailing padding may be missing");
    }

    private static async Task<DicomClient> ConnectWithRetry(int port)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                return await DicomClient.ConnectAsync("127.0.0.1", port, "EDGETEST", "STORESCP",
                    [DicomClient.Propose(1, "1.2.840.10008.1.1"), DicomClient.Propose(3, DicomUids.CTImageStorage.Value)]);
            }
            catch (DicomAssociationException) when (i < 20) { await Task.Delay(250); }
        }
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
