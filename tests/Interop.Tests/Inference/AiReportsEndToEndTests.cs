using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Host.Serve;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Interop.Tests.Archive;
using EdgeCancer.Scp.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Interop.Tests.Inference;

/// <summary>
/// Issue 4 end to end with real peers: storescu sends a chest and a head series; per-image and summary reports appear
/// in the same studies; findscu finds them at every level; dciodvfy and dsrdump accept them; the numbers equal what
/// the classifier says for the same image; getscu retrieves them.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class AiReportsEndToEndTests
{
    private IHost _host = null!;
    private int _port;
    private string _data = "";
    private string _chest = "", _head = "";

    private static string ModelsRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln"))) return Path.Combine(dir.FullName, "models");
        throw new InvalidOperationException("models folder not found above the test assembly");
    }

    [OneTimeSetUp]
    public async Task StartNodeAndSendSeries()
    {
        _chest = await SyntheticSeries.GetAsync(1, 4, 512, seed: 41, body: "chest");
        _head = await SyntheticSeries.GetAsync(1, 3, 512, seed: 42, body: "head");
        _data = Directory.CreateTempSubdirectory("ec-ai-e2e-").FullName;
        _port = ArchiveNode.FreePort();
        _host = NodeHostBuilder.Build(new ServeArguments(_data, _port, null, ArchiveNode.AETitle, null, null, null, false, null) { Roles = "scp,worker", Models = ModelsRoot() }, s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            s.PostConfigure<InferenceOptions>(o => o.QuietPeriodSeconds = 2);
        });
        await _host.StartAsync();
        await _host.Services.GetRequiredService<DicomNodeService>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        foreach (var folder in new[] { _chest, _head })
        {
            var sent = await Peers.RunAsync("storescu", "-aec", ArchiveNode.AETitle, "+sd", "+r", "+sp", "*.dcm", "127.0.0.1", _port.ToString(CultureInfo.InvariantCulture), SyntheticSeries.SeriesFolders(folder)[0]);
            Assert.That(sent.ExitCode, Is.EqualTo(0), sent.ToString());
        }
        // Wait for both summaries (quiet period 2 s after the last result).
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (DateTime.UtcNow < deadline)
        {
            if (SeriesDescriptions().Count(d => d == "AI series summary") >= 2) return;
            await Task.Delay(1000);
        }
        Assert.Fail("no two series summaries within 180 s; found: " + string.Join(", ", SeriesDescriptions()));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _host.StopAsync();
        _host.Dispose();
        Directory.Delete(_data, true);
    }

    private List<string> SeriesDescriptions()
    {
        var r = Peers.RunAsync("findscu", "-S", "-aec", ArchiveNode.AETitle, "-k", "QueryRetrieveLevel=SERIES", "-k", "StudyInstanceUID", "-k", "SeriesDescription",
            "127.0.0.1", _port.ToString(CultureInfo.InvariantCulture)).GetAwaiter().GetResult();
        return Regex.Matches(r.Output, @"\(0008,103e\) LO \[([^\]]*)\]").Select(m => m.Groups[1].Value.Trim()).ToList();
    }

    private async Task<string> FindAsync(params string[] keys)
    {
        var args = new List<string> { "-S", "-aec", ArchiveNode.AETitle };
        foreach (var k in keys) { args.Add("-k"); args.Add(k); }
        args.Add("127.0.0.1"); args.Add(_port.ToString(CultureInfo.InvariantCulture));
        var r = await Peers.RunAsync("findscu", args.ToArray());
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        return r.Output;
    }

    private static string StudyOf(string folder) => DicomFile.OpenHeader(SyntheticSeries.Files(folder)[0]).Dataset.GetString(DicomTags.StudyInstanceUID);

    [Test]
    public async Task Study_level_ModalitiesInStudy_contains_SR_for_both_studies()
    {
        foreach (var folder in new[] { _chest, _head })
        {
            var output = await FindAsync("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + StudyOf(folder), "ModalitiesInStudy");
            Assert.That(output, Does.Match(@"\(0008,0061\) CS \[[^\]]*SR"), output);
        }
    }

    [Test]
    public async Task Image_level_reports_are_complete_unverified_comprehensive_3D_SR_one_per_image()
    {
        var study = StudyOf(_chest);
        var output = await FindAsync("QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + study, "Modality=SR", "SOPInstanceUID", "SOPClassUID", "CompletionFlag", "VerificationFlag");
        // findscu prints registered UIDs by name (=Comprehensive3DSRStorage), others in brackets.
        var classes = Regex.Matches(output, @"\(0008,0016\) UI (=\w+|\[[^\]]*\])").Select(m => m.Groups[1].Value.Trim('[', ']', '\0', ' ')).ToList();
        Assert.That(classes, Has.Count.EqualTo(4 + 1), "4 per-image reports and 1 summary: " + output);
        Assert.That(classes, Is.All.EqualTo("=Comprehensive3DSRStorage").Or.All.EqualTo("1.2.840.10008.5.1.4.1.1.88.34"));
        Assert.That(Regex.Matches(output, @"\(0040,a491\) CS \[COMPLETE").Count, Is.EqualTo(5));
        Assert.That(Regex.Matches(output, @"\(0040,a493\) CS \[UNVERIFIED").Count, Is.EqualTo(5));
    }

    [Test]
    public async Task Every_report_passes_dciodvfy_and_dsrdump_and_carries_the_classifiers_numbers()
    {
        var reports = Directory.GetFiles(Path.Combine(_data, "dicom"), "*.dcm", SearchOption.AllDirectories)
            .Where(f => DicomFile.OpenHeader(f).Dataset.GetSingleValueOrDefault(DicomTags.Modality, "") == "SR").ToList();
        Assert.That(reports, Has.Count.EqualTo(4 + 3 + 2));
        foreach (var sr in reports)
        {
            var v = await Peers.RunAsync("dciodvfy", sr);
            Assert.That(v.Output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)), Is.Empty, sr + "\n" + v.Output);
            var d = await Peers.RunAsync("dsrdump", "+Pc", sr);
            Assert.That(d.ExitCode, Is.EqualTo(0), d.ToString());
        }

        // The per-image report of the chest's second slice says what the classifier says for that file.
        var source = SyntheticSeries.Files(SyntheticSeries.SeriesFolders(_chest)[0])[1];
        using var provider = new ActiveModelProvider(new ModelRegistry(ModelsRoot()));
        var prediction = new Classifier(provider).Predict(DicomFile.Open(source));
        var sop = DicomFile.OpenHeader(source).Dataset.GetString(DicomTags.SOPInstanceUID);
        var report = reports.Single(f => DicomFile.OpenHeader(f).Dataset.GetSingleValueOrDefault(DicomTags.SeriesDescription, "") == "AI results per image"
                                         && File.ReadAllText(f, System.Text.Encoding.Latin1).Contains(sop, StringComparison.Ordinal));
        var dump = (await Peers.RunAsync("dsrdump", "+Pc", report)).Output;
        var malignancy = prediction.For("chest-malignancy")!.Probability * 100;
        Assert.That(dump, Does.Contain($"(111047,DCM,\"Probability of cancer\")=\"{malignancy.ToString("0.0", CultureInfo.InvariantCulture)}\""), dump);
        var chest = prediction.For("body-part")!.Probabilities["chest"] * 100;
        Assert.That(dump, Does.Contain($"(122157,DCM,\"Probability\")=\"{chest.ToString("0.0", CultureInfo.InvariantCulture)}\""), dump);
    }

    [Test]
    public async Task Head_images_record_malignancy_as_not_attempted()
    {
        var reports = Directory.GetFiles(Path.Combine(_data, "dicom", StudyOf(_head)), "*.dcm", SearchOption.AllDirectories)
            .Where(f => DicomFile.OpenHeader(f).Dataset.GetSingleValueOrDefault(DicomTags.SeriesDescription, "") == "AI results per image").ToList();
        Assert.That(reports, Has.Count.EqualTo(3));
        var dump = (await Peers.RunAsync("dsrdump", "+Pc", reports[0])).Output;
        Assert.That(dump, Does.Contain("(114007,DCM,\"Measurement not attempted\")"), dump);
    }

    [Test]
    public async Task Getscu_retrieves_the_reports()
    {
        var outDir = Directory.CreateTempSubdirectory("ec-ai-get-").FullName;
        var study = StudyOf(_chest);
        var r = await Peers.RunAsync("getscu", "-S", "-aec", ArchiveNode.AETitle, "-od", outDir, "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=" + study,
            "127.0.0.1", _port.ToString(CultureInfo.InvariantCulture));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        var srs = Directory.GetFiles(outDir).Count(f => DicomFile.OpenHeader(f).Dataset.GetSingleValueOrDefault(DicomTags.Modality, "") == "SR");
        Assert.That(srs, Is.EqualTo(5));
        Directory.Delete(outDir, true);
    }
}
