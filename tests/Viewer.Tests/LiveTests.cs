using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Viewer.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Tests;

/// <summary>Server-Sent Events, the association log (with DCMTK storescu), the work queue and study export.</summary>
[TestFixture(IndexDialect.Sqlite), TestFixture(IndexDialect.PostgreSql), Category("Viewer"), NonParallelizable]
public class LiveTests(IndexDialect dialect)
{
    private ViewerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ViewerTestHost.StartAsync(dialect, settings: new Dictionary<string, string?>
    {
        ["Viewer:EventPollInterval"] = "00:00:00.200",
        ["Viewer:EventKeepAlive"] = "00:00:01",
    });

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    /// <summary>A new slice of a new study as Part 10 bytes.</summary>
    private (byte[] Bytes, string StudyUid, string SopUid) NewStudySlice()
    {
        var ds = _host.Slices[1].Clone();
        var study = DicomUid.Generate().Value;
        var sop = DicomUid.Generate().Value;
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, sop);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        using var ms = new MemoryStream();
        file.Save(ms);
        return (ms.ToArray(), study, sop);
    }

    private static MultipartFormDataContent Upload(string fileName, byte[] bytes)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        content.Add(file, "files", fileName);
        return content;
    }

    /// <summary>An open event stream and a reader of its events.</summary>
    private sealed class EventStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public HttpResponseMessage Response => response;

        /// <summary>Reads until an event of <paramref name="name"/> whose data satisfies <paramref name="match"/>, or fails after <paramref name="timeout"/>.</summary>
        public async Task<JsonElement> NextAsync(string name, Func<JsonElement, bool> match, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            string? ev = null;
            while (true)
            {
                string? line;
                try { line = await reader.ReadLineAsync(cts.Token); }
                catch (OperationCanceledException) { Assert.Fail($"no '{name}' event within {timeout}"); throw; }
                if (line is null) { Assert.Fail("the event stream ended"); throw new InvalidOperationException(); }
                if (line.StartsWith("event: ", StringComparison.Ordinal)) ev = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && ev == name)
                {
                    var data = JsonDocument.Parse(line[6..]).RootElement.Clone();
                    if (match(data)) return data;
                }
                else if (line.Length == 0) ev = null;
            }
        }

        public async Task<string?> ReadLineAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            return await reader.ReadLineAsync(cts.Token);
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private static async Task<EventStream> OpenEventsAsync(HttpClient client)
    {
        var rsp = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        var reader = new StreamReader(await rsp.Content.ReadAsStreamAsync());
        return new EventStream(rsp, reader);
    }

    private async Task WaitForSubscribersAsync(int count)
    {
        var feed = _host.App.Services.GetRequiredService<WorklistChangeFeed>();
        var clock = Stopwatch.StartNew();
        while (feed.SubscriberCount != count)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"subscribers stayed {feed.SubscriberCount}, expected {count}");
            await Task.Delay(20);
        }
        // Let the feed take its baseline so the change below is news.
        long polls = feed.Polls;
        while (feed.Polls < polls + 2 && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(20);
    }

    [Test]
    public async Task Event_stream_announces_an_uploaded_study_to_every_listener_and_keeps_alive()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        using var admin = await _host.SignedInAsync("boss");
        using var a = await OpenEventsAsync(doctor);
        using var b = await OpenEventsAsync(admin);
        await WaitForSubscribersAsync(2);
        Assert.That(a.Response.Headers.CacheControl?.NoCache, Is.True);

        var (bytes, study, _) = NewStudySlice();
        using var tech = await _host.SignedInAsync("tech");
        using (var up = await tech.PostAsync("/api/upload", Upload("new.dcm", bytes)))
            Assert.That(up.StatusCode, Is.EqualTo(HttpStatusCode.Created), await up.Content.ReadAsStringAsync());

        foreach (var stream in new[] { a, b })
        {
            var data = await stream.NextAsync("worklist", d => d.GetProperty("studyInstanceUid").GetString() == study, TimeSpan.FromSeconds(10));
            Assert.That(data.GetProperty("studyInstanceUid").GetString(), Is.EqualTo(study));
        }
        // Quiet stream: a keep-alive comment within a few keep-alive periods (1 s here).
        string? line;
        var clock = Stopwatch.StartNew();
        do line = await a.ReadLineAsync(TimeSpan.FromSeconds(5));
        while (line is not null && line != ": keep-alive" && clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.That(line, Is.EqualTo(": keep-alive"));
    }

    [Test]
    public async Task A_correction_is_announced_and_a_client_that_goes_away_is_unsubscribed()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        var events = await OpenEventsAsync(doctor);
        await WaitForSubscribersAsync(1);
        using (var rsp = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "malignancy", newLabel = "not-suspicious" }))
            Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Created), await rsp.Content.ReadAsStringAsync());
        var data = await events.NextAsync("worklist", d => d.GetProperty("studyInstanceUid").GetString() == _host.StudyUid, TimeSpan.FromSeconds(10));
        Assert.That(data.GetProperty("studyInstanceUid").GetString(), Is.EqualTo(_host.StudyUid));
        events.Dispose();
        await WaitForSubscribersAsync(0);
    }

    [Test]
    public async Task An_AI_result_written_by_the_worker_is_announced()
    {
        using var tech = await _host.SignedInAsync("tech");
        using var events = await OpenEventsAsync(tech);
        await WaitForSubscribersAsync(1);
        // As the inference worker (possibly another process) writes it: only the ai_result row changes.
        var analysis = new EdgeCancer.Inference.Pipeline.ImageAnalysis(EdgeCancer.Inference.Pipeline.AnalysisStatus.Done, null, "chest", 0.9, 0.9, 0.2, 0.5,
            [new EdgeCancer.Inference.Pipeline.ModelIdentity("body-part", "1.0.0", new string('a', 64))]);
        await _host.App.Services.GetRequiredService<EdgeCancer.Inference.Pipeline.AiResultStore>().SaveAsync(_host.SliceUid(2), _host.StudyUid, _host.SeriesUid, 3,
            analysis, null, CancellationToken.None);
        var data = await events.NextAsync("worklist", d => d.GetProperty("studyInstanceUid").GetString() == _host.StudyUid, TimeSpan.FromSeconds(10));
        Assert.That(data.GetProperty("studyInstanceUid").GetString(), Is.EqualTo(_host.StudyUid));
    }

    [Test]
    public async Task Stopping_the_node_ends_open_event_streams()
    {
        await using var host = await ViewerTestHost.StartAsync(dialect);
        using var doctor = await host.SignedInAsync("drjane");
        using var events = await OpenEventsAsync(doctor);
        Assert.That(await events.ReadLineAsync(TimeSpan.FromSeconds(5)), Is.EqualTo("retry: 3000"));
        var stopping = host.App.StopAsync();
        var clock = Stopwatch.StartNew();
        string? line = "";
        try
        {
            while (line is not null) line = await events.ReadLineAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException) { line = null; } // TestServer may report the end as an aborted response
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "the stream ended promptly");
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Storescu_association_is_listed_with_its_instance_count_and_its_study_is_announced()
    {
        const string storescu = "/usr/bin/storescu";
        if (!File.Exists(storescu)) Assert.Fail("storescu is missing; install the Debian package dcmtk.");
        var node = new DicomNodeService(Options.Create(new DicomNodeOptions { AETitle = "EDGEVIEW", Port = 0, BindAddress = "127.0.0.1" }),
            _host.Store, _host.Index, _host.App.Services.GetRequiredService<ArchiveServiceOptions>(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        await node.StartAsync(stop.Token);
        try
        {
            var endpoint = await node.Listening.WaitAsync(TimeSpan.FromSeconds(10));
            // A row from 8 days ago: pruned (7 days kept) when the next association is recorded.
            long old = DateTimeOffset.UtcNow.AddDays(-8).ToUnixTimeMilliseconds();
            await _host.Index.ExecuteWriteAsync(async c =>
            {
                await using var cmd = c.CreateCommand();
                cmd.CommandText = $"INSERT INTO association_log (calling_ae, called_ae, started_at, ended_at, outcome) VALUES ('OLDMODALITY', 'EDGEVIEW', {old}, {old}, 'released')";
                return await cmd.ExecuteNonQueryAsync();
            }, CancellationToken.None);
            using var doctor = await _host.SignedInAsync("drjane");
            using var events = await OpenEventsAsync(doctor);
            await WaitForSubscribersAsync(1);

            var folder = Path.Combine(_host.Root, "storescu-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            var (first, study, _) = NewStudySlice();
            await File.WriteAllBytesAsync(Path.Combine(folder, "1.dcm"), first);
            var second = DicomFile.Open(new MemoryStream(first));
            second.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomUid.Generate().Value);
            second.FileMetaInfo.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, second.Dataset.GetString(DicomTags.SOPInstanceUID));
            second.Save(Path.Combine(folder, "2.dcm"));

            using var p = Process.Start(new ProcessStartInfo(storescu, ["-aet", "MODALITY1", "-aec", "EDGEVIEW", "127.0.0.1", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Path.Combine(folder, "1.dcm"), Path.Combine(folder, "2.dcm")]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.That(p.ExitCode, Is.Zero, output);

            var announced = await events.NextAsync("worklist", d => d.GetProperty("studyInstanceUid").GetString() == study, TimeSpan.FromSeconds(10));
            Assert.That(announced.GetProperty("studyInstanceUid").GetString(), Is.EqualTo(study));

            using var tech = await _host.SignedInAsync("tech");
            JsonElement row = default;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                var list = await tech.GetFromJsonAsync<JsonElement>("/api/associations?callingAe=MODALITY1");
                if (list.GetArrayLength() > 0) { row = list[0]; break; }
                await Task.Delay(50);
            }
            Assert.That(row.ValueKind, Is.EqualTo(JsonValueKind.Object), "the association was recorded");
            Assert.Multiple(() =>
            {
                Assert.That(row.GetProperty("callingAe").GetString(), Is.EqualTo("MODALITY1"));
                Assert.That(row.GetProperty("calledAe").GetString(), Is.EqualTo("EDGEVIEW"));
                Assert.That(row.GetProperty("instancesStored").GetInt64(), Is.EqualTo(2));
                Assert.That(row.GetProperty("instancesRefused").GetInt64(), Is.Zero);
                Assert.That(row.GetProperty("outcome").GetString(), Is.EqualTo("released"));
                Assert.That(row.GetProperty("peerAddress").GetString(), Does.StartWith("127.0.0.1:"));
                Assert.That(row.GetProperty("endedAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(row.GetProperty("startedAt").GetDateTimeOffset()));
            });
            var pruned = await tech.GetFromJsonAsync<JsonElement>("/api/associations?callingAe=OLDMODALITY");
            Assert.That(pruned.GetArrayLength(), Is.Zero, "associations older than 7 days are pruned");
        }
        finally
        {
            await stop.CancelAsync();
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }
    }

    [Test]
    public async Task Rejected_association_and_a_non_DICOM_connection_are_listed_with_the_peer_and_the_reason()
    {
        const string echoscu = "/usr/bin/echoscu";
        if (!File.Exists(echoscu)) Assert.Fail("echoscu is missing; install the Debian package dcmtk.");
        var node = new DicomNodeService(Options.Create(new DicomNodeOptions { AETitle = "EDGEVIEW", Port = 0, BindAddress = "127.0.0.1" }),
            _host.Store, _host.Index, _host.App.Services.GetRequiredService<ArchiveServiceOptions>(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        await node.StartAsync(stop.Token);
        try
        {
            var endpoint = await node.Listening.WaitAsync(TimeSpan.FromSeconds(10));
            using var p = Process.Start(new ProcessStartInfo(echoscu, ["-aet", "INTRUDER", "-aec", "NOTUS", "127.0.0.1", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            Assert.That(p.ExitCode, Is.Not.Zero, "echoscu to the wrong called AE fails: " + output);
            Assert.That(output, Does.Contain("Called AE Title Not Recognized").IgnoreCase, "DCMTK names the reject reason");

            // An HTTP request on the DICOM port: aborted, and listed as a connection without an association request.
            using (var tcp = new System.Net.Sockets.TcpClient())
            {
                await tcp.ConnectAsync(endpoint.Address, endpoint.Port);
                var stream = tcp.GetStream();
                await stream.WriteAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
                var buffer = new byte[64];
                while (await stream.ReadAsync(buffer) > 0) { }
            }

            using var tech = await _host.SignedInAsync("tech");
            JsonElement rejected = default, garbage = default;
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(10) && (rejected.ValueKind != JsonValueKind.Object || garbage.ValueKind != JsonValueKind.Object))
            {
                var list = await tech.GetFromJsonAsync<JsonElement>("/api/associations");
                foreach (var row in list.EnumerateArray())
                {
                    if (row.GetProperty("callingAe").GetString() == "INTRUDER") rejected = row;
                    if (row.GetProperty("outcome").GetString() == "no association request") garbage = row;
                }
                await Task.Delay(50);
            }
            Assert.That(rejected.ValueKind, Is.EqualTo(JsonValueKind.Object), "the rejected association was recorded");
            Assert.That(garbage.ValueKind, Is.EqualTo(JsonValueKind.Object), "the HTTP request on the DICOM port was recorded");
            Assert.Multiple(() =>
            {
                Assert.That(rejected.GetProperty("calledAe").GetString(), Is.EqualTo("NOTUS"));
                Assert.That(rejected.GetProperty("outcome").GetString(), Is.EqualTo("rejected"));
                Assert.That(rejected.GetProperty("detail").GetString(), Does.Contain("called-AE-title-not-recognized"));
                Assert.That(rejected.GetProperty("peerAddress").GetString(), Does.StartWith("127.0.0.1:"));
                Assert.That(rejected.GetProperty("instancesStored").GetInt64(), Is.Zero);
                Assert.That(garbage.GetProperty("peerAddress").GetString(), Does.StartWith("127.0.0.1:"));
                Assert.That(garbage.GetProperty("detail").GetString(), Is.Not.Empty);
            });
        }
        finally
        {
            await stop.CancelAsync();
            await node.StopAsync(CancellationToken.None);
            node.Dispose();
        }
    }

    [Test]
    public async Task Queue_counts_pending_in_progress_failed_and_recently_done_inference_work()
    {
        await using var host = await ViewerTestHost.StartAsync(dialect);
        var ix = host.Index;
        for (int i = 0; i < 4; i++) await ix.EnqueueWorkAsync("inference", host.SliceUid(i % 3), host.StudyUid, host.SeriesUid, CancellationToken.None);
        await ix.EnqueueWorkAsync("forward", host.AiSrUid, host.StudyUid, host.SeriesUid, CancellationToken.None);
        var claimed = await ix.ClaimAsync("w1", 3, "inference", CancellationToken.None);
        Assert.That(claimed, Has.Count.EqualTo(3));
        Assert.That(await ix.CompleteAsync(claimed[0].Id, "w1", CancellationToken.None), Is.True);
        Assert.That(await ix.FailAsync(claimed[1].Id, "w1", "model crashed", retry: false, TimeSpan.Zero, CancellationToken.None), Is.True);

        using var tech = await host.SignedInAsync("tech");
        var q = await tech.GetFromJsonAsync<JsonElement>("/api/queue");
        Assert.Multiple(() =>
        {
            Assert.That(q.GetProperty("pending").GetInt64(), Is.EqualTo(1));
            Assert.That(q.GetProperty("inProgress").GetInt64(), Is.EqualTo(1));
            Assert.That(q.GetProperty("failed").GetInt64(), Is.EqualTo(1));
            Assert.That(q.GetProperty("doneRecently").GetInt64(), Is.EqualTo(1));
            var forward = q.GetProperty("kinds").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "forward");
            Assert.That(forward.GetProperty("pending").GetInt64(), Is.EqualTo(1));
            Assert.That(q.GetProperty("recentFailures")[0].GetProperty("lastError").GetString(), Is.EqualTo("model crashed"));
        });
        using var doctor = await host.SignedInAsync("drjane");
        Assert.That((await doctor.GetAsync("/api/queue")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Export_zip_holds_exactly_the_studys_files_byte_for_byte_under_PS3_10_names_and_is_audited()
    {
        var expected = new List<string>();
        await using (var c = await _host.Index.OpenReadConnectionAsync(CancellationToken.None))
        await using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = $"SELECT i.file_path FROM instance i JOIN series se ON se.pk = i.series_fk JOIN study st ON st.pk = se.study_fk WHERE st.study_instance_uid = '{_host.StudyUid}'";
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) expected.Add(Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(_host.Store.GetFullPath(r.GetString(0))))));
        }
        Assert.That(expected, Has.Count.GreaterThanOrEqualTo(4), "three slices and the AI SR at least");

        using var doctor = await _host.SignedInAsync("drjane");
        using var rsp = await doctor.GetAsync($"/api/studies/{_host.StudyUid}/export");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/zip"));
        Assert.That(rsp.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        using var zip = new ZipArchive(new MemoryStream(await rsp.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var actual = new List<string>();
        foreach (var entry in zip.Entries)
        {
            // PS3.10 §8.5: File ID components of 1–8 characters from A–Z, 0–9 and underscore.
            Assert.That(entry.FullName, Does.Match("^[A-Z0-9_]{1,8}(/[A-Z0-9_]{1,8}){0,7}$"), entry.FullName);
            await using var s = entry.Open();
            using var ms = new MemoryStream();
            await s.CopyToAsync(ms);
            actual.Add(Convert.ToHexString(SHA256.HashData(ms.ToArray())));
        }
        Assert.That(actual.Order(), Is.EqualTo(expected.Order()), "the same files, each byte-identical, nothing else");

        using var admin = await _host.SignedInAsync("boss");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=drjane&action=export");
        Assert.That(audit[0].GetProperty("target").GetString(), Is.EqualTo(_host.StudyUid));
        Assert.That(audit[0].GetProperty("detail").GetString(), Does.StartWith($"{expected.Count} files"));

        using var unknown = await doctor.GetAsync("/api/studies/1.2.3.4.5/export");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
