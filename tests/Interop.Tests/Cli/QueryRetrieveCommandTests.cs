using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Host.Commands;
using static EdgeCancer.Interop.Tests.Cli.CliHarness;

namespace EdgeCancer.Interop.Tests.Cli;

/// <summary>
/// <c>edgecancer find</c>, <c>move</c> and <c>get</c> against DCMTK's dcmqrscp, loaded with pydicom's CT_small and
/// MR_small by storescu; C-MOVE goes to a DCMTK storescp registered in dcmqrscp's HostTable.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class QueryRetrieveCommandTests
{
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private const string CtInstance = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    private const string MrInstance = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";

    private CliHarness.Peer? _qr;
    private CliHarness.Peer? _destination;
    private string _moved = "";
    private int _qrPort;

    [OneTimeSetUp]
    public async Task StartArchive()
    {
        var root = Directory.CreateTempSubdirectory("ec-qr").FullName;
        var db = Directory.CreateDirectory(Path.Combine(root, "db")).FullName;
        _moved = Directory.CreateDirectory(Path.Combine(root, "moved")).FullName;
        _qrPort = FreePort();
        int destPort = FreePort();
        // dcmqrscp.cfg (see /etc/dcmtk/dcmqrscp.cfg): one read/write storage area open to any peer, and the move
        // destination STORESCP (the HostTable takes host names, not addresses).
        var cfg = Path.Combine(root, "dcmqrscp.cfg");
        File.WriteAllText(cfg, $"""
            NetworkTCPPort  = {_qrPort}
            MaxPDUSize      = 16384
            MaxAssociations = 16
            HostTable BEGIN
            storescp = (STORESCP, localhost, {destPort})
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            QRSCP {db} RW (100, 1024mb) ANY
            AETable END
            """);
        // Not -s: Debian's dcmqrscp 3.6.7 crashes after the first association in single-process mode.
        _qr = await Peer.StartAsync("dcmqrscp", _qrPort, "-c", cfg, _qrPort.ToString());
        _destination = await Peer.StartAsync("storescp", destPort, "-aet", "STORESCP", "-od", _moved, destPort.ToString());
        var load = RunTool("storescu", "-aec", "QRSCP", "127.0.0.1", _qrPort.ToString(), TestFile("CT_small.dcm"), TestFile("MR_small.dcm"));
        Assert.That(load.Exit, Is.EqualTo(0), "storescu into dcmqrscp: " + load.Output);
    }

    [OneTimeTearDown]
    public async Task StopArchive()
    {
        if (_qr is not null) await _qr.DisposeAsync();
        if (_destination is not null) await _destination.DisposeAsync();
    }

    private string[] Args(string command, params string[] rest) => [command, "127.0.0.1", _qrPort.ToString(), "-aec", "QRSCP", .. rest];

    [Test]
    public async Task Find_study_root_with_a_wildcard_prints_both_studies_and_success()
    {
        var r = await RunAsync(Args("find", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=Compressed*", "-k", "StudyInstanceUID", "-k", "0010,0020"));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        Assert.That(r.Out, Does.Contain("(0010,0010) PN [CompressedSamples^CT1]").And.Contain("(0010,0010) PN [CompressedSamples^MR1]"));
        Assert.That(r.Out, Does.Contain($"(0020,000d) UI [{CtStudy}]").And.Contain("(0010,0020) LO [1CT1]").And.Contain("(0010,0020) LO [4MR1]"));
        Assert.That(r.Out, Does.Contain("C-FIND 0x0000 (Success): 2 matches"));
    }

    [Test]
    public async Task Find_patient_root_json_returns_one_patient_with_its_id()
    {
        var r = await RunAsync(Args("find", "-P", "--json", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=*MR?", "-k", "PatientID="));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        using var json = JsonDocument.Parse(r.Out);
        Assert.That(json.RootElement.GetArrayLength(), Is.EqualTo(1), r.Out);
        var match = json.RootElement[0];
        Assert.That(match.GetProperty("00100020").GetProperty("Value")[0].GetString(), Is.EqualTo("4MR1"));
        Assert.That(match.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString(), Is.EqualTo("CompressedSamples^MR1"));
        Assert.That(r.Err, Does.Contain("C-FIND 0x0000 (Success): 1 match"));
    }

    [Test]
    public async Task Find_without_a_query_level_or_with_an_unknown_key_is_a_usage_error()
    {
        var noLevel = await RunAsync(Args("find", "-k", "PatientName=X"));
        Assert.That(noLevel.Exit, Is.EqualTo(ScuExitCodes.Usage));
        Assert.That(noLevel.Err, Does.Contain("QueryRetrieveLevel"));
        var unknown = await RunAsync(Args("find", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientNme=X"));
        Assert.That(unknown.Exit, Is.EqualTo(ScuExitCodes.Usage));
        Assert.That(unknown.Err, Does.Contain("\"PatientNme\" is neither a DICOM keyword nor gggg,eeee"));
    }

    [Test]
    public async Task Move_of_the_CT_study_to_storescp_reports_one_completed_and_the_file_arrives_byte_for_byte()
    {
        foreach (var f in Directory.GetFiles(_moved)) File.Delete(f);
        var r = await RunAsync(Args("move", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={CtStudy}", "--dest", "STORESCP"));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        Assert.That(r.Out, Does.Contain("C-MOVE to STORESCP 0x0000 (Success): completed 1, failed 0, warning 0"), r.ToString());
        var got = Directory.GetFiles(_moved).Single();
        Assert.That(got, Does.EndWith("." + CtInstance));
        AssertSameDataset(DatasetBytes(got), DatasetBytes(TestFile("CT_small.dcm")), "moved CT_small");
    }

    [Test]
    public async Task Move_to_an_unknown_destination_fails_with_A801_and_exit_code_1()
    {
        var r = await RunAsync(Args("move", "-S", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={CtStudy}", "--dest", "NOWHERE"));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.FailureStatus), r.ToString());
        Assert.That(r.Out, Does.Contain("0xA801 (Failure: move destination unknown)"));
    }

    [Test]
    public async Task Get_of_both_patients_writes_Part10_files_whose_datasets_equal_the_originals()
    {
        var outDir = Path.Combine(Directory.CreateTempSubdirectory("ec-get").FullName, "out");
        var r = await RunAsync(Args("get", "-P", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=Compressed*", "--out", outDir));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        Assert.That(r.Out, Does.Contain("C-GET 0x0000 (Success): completed 2, failed 0, warning 0; 2 file(s) written"), r.ToString());
        Assert.That(r.Out, Does.Contain("Pending: remaining 1, completed 1, failed 0, warning 0"));
        Assert.That(Directory.GetFiles(outDir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { CtInstance + ".dcm", MrInstance + ".dcm" }));
        foreach (var (uid, name) in new[] { (CtInstance, "CT_small.dcm"), (MrInstance, "MR_small.dcm") })
        {
            var path = Path.Combine(outDir, uid + ".dcm");
            var file = DicomFile.OpenHeader(path);
            Assert.That(file.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID), Is.EqualTo(uid));
            Assert.That(file.FileMetaInfo.GetString(DicomTags.SourceApplicationEntityTitle), Is.EqualTo("QRSCP"));
            Assert.That(file.TransferSyntax, Is.EqualTo(DicomTransferSyntax.ExplicitVRLittleEndian));
            AssertSameDataset(DatasetBytes(path), DatasetBytes(TestFile(name)), "retrieved " + name);
        }
        // DCMTK reads what we wrote as a valid Part 10 file.
        var dump = RunTool("dcmdump", "-q", Path.Combine(outDir, CtInstance + ".dcm"));
        Assert.That(dump.Exit, Is.EqualTo(0), dump.Output);
        Assert.That(dump.Output, Does.Contain("CompressedSamples^CT1"));
    }
}
