using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// Orthanc (Debian package) as a second, independent peer: it sends to the archive (REST <c>modalities/edge/store</c>),
/// and our SCU (<see cref="DicomClient"/>) stores to it, queries it and has it move a study to the archive.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class OrthancPeerTests
{
    private const string OrthancBinary = "/usr/sbin/Orthanc";
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const string StudyRootMove = "1.2.840.10008.5.1.4.1.2.2.2";

    /// <summary>An Orthanc on loopback with its storage and index in a temp folder; stopped by PID.</summary>
    private sealed class Orthanc : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _folder;

        private Orthanc(Process process, string folder, int dicomPort, HttpClient http)
        {
            _process = process;
            _folder = folder;
            DicomPort = dicomPort;
            Http = http;
        }

        public int DicomPort { get; }
        public HttpClient Http { get; }

        public static async Task<Orthanc> StartAsync(int edgePort)
        {
            Assert.That(File.Exists(OrthancBinary), Is.True, "Orthanc is not installed; install the Debian package orthanc.");
            var folder = Directory.CreateTempSubdirectory("ec-orthanc-").FullName;
            int dicomPort = ArchiveNode.FreePort(), httpPort = ArchiveNode.FreePort();
            var config = new Dictionary<string, object>
            {
                ["Name"] = "edgecancer-interop",
                ["StorageDirectory"] = Path.Combine(folder, "storage"),
                ["IndexDirectory"] = Path.Combine(folder, "index"),
                ["RemoteAccessAllowed"] = false,
                ["AuthenticationEnabled"] = false,
                ["DicomAet"] = "ORTHANC",
                ["DicomPort"] = dicomPort,
                ["HttpPort"] = httpPort,
                ["SyncStorageArea"] = true,
                ["Plugins"] = Array.Empty<string>(),
                ["DicomModalities"] = new Dictionary<string, object[]> { ["edge"] = [ArchiveNode.AETitle, "127.0.0.1", edgePort] },
            };
            var configPath = Path.Combine(folder, "config.json");
            await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(config));
            var psi = new ProcessStartInfo(OrthancBinary, [configPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
            var sw = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited) Assert.Fail($"Orthanc exited with {process.ExitCode}");
                try
                {
                    using var rsp = await http.GetAsync("system");
                    if (rsp.IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) { }
                if (sw.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("Orthanc did not answer GET /system within 30 s");
                await Task.Delay(200);
            }
            return new Orthanc(process, folder, dicomPort, http);
        }

        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
            _process.Dispose();
            try { Directory.Delete(_folder, true); } catch (IOException) { }
        }
    }

    private static async Task<string[]> SeriesAsync() => SyntheticSeries.Files(await SyntheticSeries.GetAsync(1, 3, 64, seed: 11));

    private static void AssertArchiveHolds(ArchiveNode node, string[] sent)
    {
        foreach (var f in sent)
        {
            var ids = StoredData.IdsOf(f);
            var stored = node.PathOf(ids.Study, ids.Series, ids.Sop);
            Assert.That(File.Exists(stored), Is.True, $"{ids.Sop} not in the archive");
            StoredData.AssertSameDatasetValues(stored, f);
        }
        Assert.That(node.CountRows("instance"), Is.EqualTo(sent.Length));
        Assert.That(node.IncomingLeftovers(), Is.Empty);
    }

    [Test]
    public async Task Orthanc_sends_to_the_archive_through_its_REST_modality_store()
    {
        await using var node = await ArchiveNode.StartAsync();
        await using var orthanc = await Orthanc.StartAsync(node.Port);
        var sent = await SeriesAsync();
        var ids = new List<string>();
        foreach (var f in sent)
        {
            using var body = new ByteArrayContent(await File.ReadAllBytesAsync(f));
            using var rsp = await orthanc.Http.PostAsync("instances", body);
            Assert.That(rsp.IsSuccessStatusCode, Is.True, await rsp.Content.ReadAsStringAsync());
            ids.Add((await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ID").GetString()!);
        }
        using var request = new StringContent(JsonSerializer.Serialize(new { Resources = ids, Synchronous = true }), System.Text.Encoding.UTF8, "application/json");
        using var store = await orthanc.Http.PostAsync("modalities/edge/store", request);
        var answer = await store.Content.ReadAsStringAsync();
        Assert.That(store.IsSuccessStatusCode, Is.True, answer);
        var json = JsonDocument.Parse(answer).RootElement;
        Assert.That(json.GetProperty("InstancesCount").GetInt32(), Is.EqualTo(3), answer);
        Assert.That(json.GetProperty("FailedInstancesCount").GetInt32(), Is.EqualTo(0), answer);
        AssertArchiveHolds(node, sent);
    }

    [Test]
    public async Task Our_SCU_stores_to_queries_and_moves_from_Orthanc()
    {
        await using var node = await ArchiveNode.StartAsync();
        await using var orthanc = await Orthanc.StartAsync(node.Port);
        var sent = await SeriesAsync();
        var study = StoredData.IdsOf(sent[0]).Study;

        await using (var client = await DicomClient.ConnectAsync("127.0.0.1", orthanc.DicomPort, ArchiveNode.AETitle, "ORTHANC",
            [DicomClient.Propose(1, "1.2.840.10008.5.1.4.1.1.2"), DicomClient.Propose(3, StudyRootFind), DicomClient.Propose(5, StudyRootMove)]))
        {
            foreach (var f in sent)
            {
                var rsp = await client.StoreAsync(f);
                Assert.That(rsp.Status, Is.EqualTo(DicomStatus.Success), rsp.ToString());
            }
            var stats = await orthanc.Http.GetFromJsonAsync<JsonElement>("statistics");
            Assert.That(stats.GetProperty("CountInstances").GetInt32(), Is.EqualTo(3));

            var query = new DicomDataset();
            query.AddOrUpdate(DicomTags.QueryRetrieveLevel, "STUDY");
            query.AddOrUpdate(DicomTags.StudyInstanceUID, "");
            query.AddOrUpdate(DicomTags.PatientName, "PHANTOM*");
            query.AddOrUpdate(DicomTags.NumberOfStudyRelatedInstances, "");
            var matches = new List<DicomDataset>();
            DicomResponse? final = null;
            await foreach (var rsp in client.FindAsync(StudyRootFind, query))
            {
                if (rsp.Status.IsPending) matches.Add(rsp.Dataset!);
                else final = rsp;
            }
            Assert.That(final?.Status, Is.EqualTo(DicomStatus.Success), final?.ToString());
            Assert.That(matches, Has.Count.EqualTo(1));
            Assert.That(matches[0].GetString(DicomTags.StudyInstanceUID).TrimEnd('\0', ' '), Is.EqualTo(study));
            Assert.That(matches[0].GetString(DicomTags.NumberOfStudyRelatedInstances).Trim(), Is.EqualTo("3"));

            var move = new DicomDataset();
            move.AddOrUpdate(DicomTags.QueryRetrieveLevel, "STUDY");
            move.AddOrUpdate(DicomTags.StudyInstanceUID, study);
            DicomResponse? moved = null;
            await foreach (var rsp in client.MoveAsync(StudyRootMove, ArchiveNode.AETitle, move))
                if (!rsp.Status.IsPending) moved = rsp;
            Assert.That(moved?.Status, Is.EqualTo(DicomStatus.Success), moved?.ToString());
            Assert.That(moved!.Failed ?? 0, Is.EqualTo(0));
            await client.ReleaseAsync();
        }
        AssertArchiveHolds(node, sent);
    }
}
