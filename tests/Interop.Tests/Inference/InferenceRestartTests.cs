using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Interop.Tests.Archive;
using Microsoft.Data.Sqlite;

namespace EdgeCancer.Interop.Tests.Inference;

/// <summary>
/// Issue 4, with real processes: <c>edgecancer serve --roles scp,worker</c> receives a 300-slice chest series from
/// storescu and is killed with SIGKILL part way through its inference, with work items claimed and a report or two
/// half written; the node is restarted on the same data folder. Every image must end with exactly one per-image SR
/// (found by findscu, each naming its own source image) and one result row per model set, and the series summary
/// must come without waiting for the work lease. Then a late image of the same series arrives after the summary: a
/// second summary must appear that names the first in Predecessor Documents Sequence.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class InferenceRestartTests
{
    private const int Slices = 300;
    private const int KillAfterResults = 40;
    private const string PerImageDescription = "AI results per image";
    private const string SummaryDescription = "AI series summary";

    private static string ModelsRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln"))) return Path.Combine(dir.FullName, "models");
        throw new InvalidOperationException("models folder not found above the test assembly");
    }

    /// <summary>A node process and everything it printed.</summary>
    private sealed class Node(Process process, StringBuilder log, int port) : IDisposable
    {
        public Process Process { get; } = process;
        public int Port { get; } = port;

        public string Tail(int lines = 40)
        {
            string[] all;
            lock (log) all = log.ToString().Split('\n');
            return string.Join('\n', all.TakeLast(lines));
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill();
            Process.Dispose();
        }
    }

    private static async Task<Node> StartNodeAsync(string data, params (string Key, string Value)[] env)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "edgecancer.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} missing: the Interop.Tests project references src/Host, so it is copied to the test output");
        int port = ArchiveNode.FreePort();
        var psi = new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--roles", "scp,worker", "--data", data,
            "--dicom-port", port.ToString(CultureInfo.InvariantCulture), "--models", ModelsRoot()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["EDGECANCER_Inference__QuietPeriodSeconds"] = "2";
        // Occlusion heatmaps run when the pipeline is idle; they are not under test and would only load the machine.
        psi.Environment["EDGECANCER_Inference__Heatmaps"] = "false";
        foreach (var (key, value) in env) psi.Environment[key] = value;
        var process = Process.Start(psi)!;
        var log = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var node = new Node(process, log, port);
        // Start-up (runtime, migrations, three ONNX sessions) takes 10 s on an idle machine and 40 s at load 20.
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (true)
        {
            if (process.HasExited) Assert.Fail($"edgecancer serve exited with {process.ExitCode}:\n{node.Tail()}");
            try
            {
                using var c = new System.Net.Sockets.TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                return node;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline) { await Task.Delay(250); }
        }
    }

    /// <summary>A read-only look at the node's index (what it committed so far).</summary>
    private static List<object[]> Query(string data, string sql, params (string Name, object Value)[] args)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(data, "index.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value);
        using var r = cmd.ExecuteReader();
        var rows = new List<object[]>();
        while (r.Read())
        {
            var row = new object[r.FieldCount];
            r.GetValues(row);
            rows.Add(row);
        }
        return rows;
    }

    private static long Scalar(string data, string sql, params (string Name, object Value)[] args) => Convert.ToInt64(Query(data, sql, args)[0][0], CultureInfo.InvariantCulture);

    private static string State(string data, string series) =>
        "work: " + string.Join(", ", Query(data, "SELECT kind, state, COUNT(*) FROM work_queue GROUP BY kind, state").Select(r => $"{r[0]} {r[1]} {r[2]}")) +
        "; results: " + Scalar(data, "SELECT COUNT(*) FROM ai_result WHERE series_instance_uid = @s", ("@s", series)) +
        "; summary generation: " + string.Join(",", Query(data, "SELECT summary_generation FROM ai_series WHERE series_instance_uid = @s", ("@s", series)).Select(r => r[0]));

    private static async Task<string> FindAsync(int port, params string[] keys)
    {
        var args = new List<string> { "-S", "-aec", ArchiveNode.AETitle };
        foreach (var k in keys) { args.Add("-k"); args.Add(k); }
        args.Add("127.0.0.1");
        args.Add(port.ToString(CultureInfo.InvariantCulture));
        var r = await Peers.RunAsync("findscu", args.ToArray());
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        return r.Output;
    }

    /// <summary>Series Instance UID → Series Description of the study's series, as findscu reports them.</summary>
    private static async Task<Dictionary<string, string>> SeriesAsync(int port, string study)
    {
        var output = await FindAsync(port, "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + study, "SeriesInstanceUID", "SeriesDescription");
        var series = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var response in output.Split("Find Response:", StringSplitOptions.None).Skip(1))
        {
            var uid = Regex.Match(response, @"\(0020,000e\) UI \[([^\]]*)\]");
            var description = Regex.Match(response, @"\(0008,103e\) LO \[([^\]]*)\]");
            if (uid.Success) series[uid.Groups[1].Value.Trim('\0', ' ')] = description.Success ? description.Groups[1].Value.Trim() : "";
        }
        return series;
    }

    /// <summary>The SOP Instance UIDs findscu finds in one series.</summary>
    private static async Task<List<string>> InstancesAsync(int port, string study, string series)
    {
        var output = await FindAsync(port, "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + study, "SeriesInstanceUID=" + series, "SOPInstanceUID");
        return Regex.Matches(output, @"\(0008,0018\) UI \[([^\]]*)\]").Select(m => m.Groups[1].Value.Trim('\0', ' ')).ToList();
    }

    /// <summary>Waits (bounded) until findscu finds <paramref name="count"/> summaries of the study.</summary>
    private static async Task<string> WaitForSummariesAsync(Node node, string data, string study, string ctSeries, int count, TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < limit)
        {
            if (node.Process.HasExited) Assert.Fail($"the node exited with {node.Process.ExitCode}; {State(data, ctSeries)}\n{node.Tail()}");
            var summarySeries = (await SeriesAsync(node.Port, study)).Where(s => s.Value == SummaryDescription).Select(s => s.Key).ToList();
            if (summarySeries.Count == 1 && (await InstancesAsync(node.Port, study, summarySeries[0])).Count >= count)
            {
                TestContext.Out.WriteLine($"{count} summary(ies) found after {started.Elapsed.TotalSeconds:0.0} s");
                return summarySeries[0];
            }
            Assert.That(summarySeries, Has.Count.LessThanOrEqualTo(1), "all summaries of a series belong to one summary series");
            await Task.Delay(2000);
        }
        Assert.Fail($"findscu found no {count} series summary(ies) within {limit.TotalSeconds} s; {State(data, ctSeries)}\nnode log tail:\n{node.Tail()}");
        return "";
    }

    private static DicomDataset Header(string file) => DicomFile.OpenHeader(file).Dataset;

    /// <summary>The image a per-image report is about: its Current Requested Procedure Evidence.</summary>
    private static List<string> EvidenceOf(DicomDataset sr) =>
        sr.GetSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence).Items
            .SelectMany(s => s.GetSequence(DicomTags.ReferencedSeriesSequence).Items)
            .SelectMany(s => s.GetSequence(DicomTags.ReferencedSOPSequence).Items)
            .Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)).ToList();

    [Test]
    public async Task After_a_SIGKILL_during_inference_of_300_slices_every_image_has_one_report_and_a_late_image_gets_a_superseding_summary()
    {
        var total = Stopwatch.StartNew();
        var root = await SyntheticSeries.GetAsync(1, Slices, 512, seed: 1, body: "chest");
        var folder = SyntheticSeries.SeriesFolders(root)[0];
        var files = SyntheticSeries.Files(folder);
        Assert.That(files, Has.Length.EqualTo(Slices));
        var first = Header(files[0]);
        string study = first.GetString(DicomTags.StudyInstanceUID), ctSeries = first.GetString(DicomTags.SeriesInstanceUID);
        var ctSops = files.Select(f => Header(f).GetString(DicomTags.SOPInstanceUID)).ToHashSet(StringComparer.Ordinal);
        var data = Directory.CreateTempSubdirectory("ec-inference-restart-").FullName;
        try
        {
            // First life: one worker, so the 300 images are still being analysed when storescu has sent them all; a long
            // quiet period, so that a pause of storescu on the loaded machine cannot bring an early summary.
            long atKill;
            using (var node = await StartNodeAsync(data, ("EDGECANCER_Inference__Workers", "1"), ("EDGECANCER_Inference__QuietPeriodSeconds", "60")))
            {
                TestContext.Out.WriteLine($"first node listening after {total.Elapsed.TotalSeconds:0.0} s");
                var sent = await Peers.RunAsync("storescu", ["-aec", ArchiveNode.AETitle, "+sd", "+r", "+sp", "*.dcm", "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture), folder], TimeSpan.FromSeconds(240));
                Assert.That(sent.ExitCode, Is.EqualTo(0), sent.ToString());
                TestContext.Out.WriteLine($"storescu sent {Slices} slices by {total.Elapsed.TotalSeconds:0.0} s");
                var deadline = DateTime.UtcNow.AddSeconds(180);
                while (ArchiveNode.CountRows(data, "ai_result") < KillAfterResults)
                {
                    if (DateTime.UtcNow > deadline || node.Process.HasExited)
                        Assert.Fail($"the node did not record {KillAfterResults} results within 180 s; {State(data, ctSeries)}\n{node.Tail()}");
                    await Task.Delay(100);
                }
                node.Process.Kill(entireProcessTree: false); // SIGKILL on Linux
                await node.Process.WaitForExitAsync();
                TestContext.Out.WriteLine($"killed at {total.Elapsed.TotalSeconds:0.0} s; {State(data, ctSeries)}");
            }
            atKill = Scalar(data, "SELECT COUNT(*) FROM ai_result WHERE series_instance_uid = @s", ("@s", ctSeries));
            Assert.That(Scalar(data, "SELECT COUNT(*) FROM instance i JOIN series s ON s.pk = i.series_fk WHERE s.series_instance_uid = @s", ("@s", ctSeries)), Is.EqualTo(Slices),
                "every slice storescu sent was indexed");
            Assert.That(atKill, Is.InRange(1, Slices - 1), "the kill must land in the middle of the inference: " + State(data, ctSeries));
            Assert.That(Scalar(data, "SELECT COUNT(*) FROM work_queue WHERE kind = 'inference' AND state = 'claimed'"), Is.GreaterThan(0),
                "the killed worker must have left claimed work behind: " + State(data, ctSeries));
            Assert.That(Scalar(data, "SELECT COUNT(*) FROM ai_series WHERE summary_generation > 0"), Is.Zero, "no summary before the kill");

            // Second life on the same data folder: the summary must come well within the 10-minute work lease.
            using (var node = await StartNodeAsync(data))
            {
                TestContext.Out.WriteLine($"second node listening after {total.Elapsed.TotalSeconds:0.0} s");
                var summarySeries = await WaitForSummariesAsync(node, data, study, ctSeries, 1, TimeSpan.FromSeconds(240));
                TestContext.Out.WriteLine($"summary found at {total.Elapsed.TotalSeconds:0.0} s");

                // findscu: exactly one per-image report per slice, in one per-image series.
                var series = await SeriesAsync(node.Port, study);
                var perImageSeries = series.Where(s => s.Value == PerImageDescription).Select(s => s.Key).ToList();
                Assert.That(perImageSeries, Has.Count.EqualTo(1), "one per-image report series: " + string.Join(", ", series));
                var reports = await InstancesAsync(node.Port, study, perImageSeries[0]);
                Assert.That(reports, Has.Count.EqualTo(Slices), "per-image reports found by findscu");
                Assert.That(reports.Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(Slices));
                Assert.That(await InstancesAsync(node.Port, study, summarySeries), Has.Count.EqualTo(1), "one summary");

                // Each report names one slice, and every slice is named once.
                var reportFiles = Directory.GetFiles(Path.Combine(data, "dicom", study, perImageSeries[0]), "*.dcm");
                Assert.That(reportFiles, Has.Length.EqualTo(Slices), "report files in the store");
                var referenced = reportFiles.Select(f => EvidenceOf(Header(f))).ToList();
                Assert.That(referenced.Select(r => r.Count), Is.All.EqualTo(1), "each report is about one image");
                Assert.That(referenced.Select(r => r[0]).ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(ctSops), "every slice has its report");

                // One result per image and model set; nothing left open.
                var perSet = Query(data, "SELECT model_set, COUNT(*), COUNT(DISTINCT sop_instance_uid), SUM(status = 'done') FROM ai_result WHERE series_instance_uid = @s GROUP BY model_set", ("@s", ctSeries));
                Assert.That(perSet, Is.Not.Empty);
                foreach (var row in perSet)
                    Assert.That(row.Skip(1).Select(v => Convert.ToInt64(v, CultureInfo.InvariantCulture)), Is.EqualTo(new long[] { Slices, Slices, Slices }), $"results of model set {row[0]}");
                Assert.That(Scalar(data, "SELECT COUNT(*) FROM work_queue WHERE kind = 'inference' AND state <> 'done'"), Is.Zero, State(data, ctSeries));
                Assert.That(node.Tail(400), Does.Contain("Took back"), "the restarted worker says it took back the killed process's claims");

                // A late image of the same series after the summary: dcmodify gives a copy of a slice a new SOP Instance UID.
                var lateFolder = Directory.CreateTempSubdirectory("ec-inference-late-").FullName;
                try
                {
                    var late = Path.Combine(lateFolder, "late.dcm");
                    File.Copy(files[Slices / 2], late);
                    var modified = await Peers.RunAsync("dcmodify", "-nb", "-gin", "-m", "(0020,0013)=" + (Slices + 1).ToString(CultureInfo.InvariantCulture), late);
                    Assert.That(modified.ExitCode, Is.EqualTo(0), modified.ToString());
                    var lateSop = Header(late).GetString(DicomTags.SOPInstanceUID);
                    Assert.That(ctSops, Does.Not.Contain(lateSop));
                    var firstSummary = (await InstancesAsync(node.Port, study, summarySeries)).Single();
                    var sent = await Peers.RunAsync("storescu", "-aec", ArchiveNode.AETitle, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture), late);
                    Assert.That(sent.ExitCode, Is.EqualTo(0), sent.ToString());

                    await WaitForSummariesAsync(node, data, study, ctSeries, 2, TimeSpan.FromSeconds(120));
                    TestContext.Out.WriteLine($"superseding summary found at {total.Elapsed.TotalSeconds:0.0} s");
                    var summaries = await InstancesAsync(node.Port, study, summarySeries);
                    Assert.That(summaries, Has.Count.EqualTo(2));
                    var newest = Header(Path.Combine(data, "dicom", study, summarySeries, summaries.Single(s => s != firstSummary) + ".dcm"));
                    var predecessor = newest.GetSequence(DicomTags.PredecessorDocumentsSequence).Items
                        .SelectMany(s => s.GetSequence(DicomTags.ReferencedSeriesSequence).Items)
                        .SelectMany(s => s.GetSequence(DicomTags.ReferencedSOPSequence).Items)
                        .Select(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)).ToList();
                    Assert.That(predecessor, Is.EqualTo(new[] { firstSummary }), "the new summary supersedes the first");
                    var after = await InstancesAsync(node.Port, study, perImageSeries[0]);
                    Assert.That(after, Has.Count.EqualTo(Slices + 1), "the late image got its own report and no other report was added");
                    Assert.That(Scalar(data, "SELECT COUNT(DISTINCT sop_instance_uid) FROM ai_result WHERE series_instance_uid = @s", ("@s", ctSeries)), Is.EqualTo(Slices + 1));
                }
                finally { Directory.Delete(lateFolder, true); }
            }
            TestContext.Out.WriteLine($"total {total.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
