using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;
using EdgeCancer.Scp.Query;

using EdgeCancer.Scp.Index;

namespace EdgeCancer.Viewer.Tests;

[TestFixture(IndexDialect.Sqlite), TestFixture(IndexDialect.PostgreSql), Category("Viewer"), NonParallelizable]
public class CorrectionAndUploadTests(IndexDialect dialect)
{
    private ViewerTestHost _host = null!;

    [OneTimeSetUp]
    public async Task Start() => _host = await ViewerTestHost.StartAsync(dialect);

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private async Task<List<FindResult>> FindImagesAsync(params QueryKey[] keys)
    {
        var plan = _host.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Image,
            [new QueryKey(DicomTags.StudyInstanceUID, DicomVR.UI, _host.StudyUid), new QueryKey(DicomTags.SeriesInstanceUID, DicomVR.UI, null),
             new QueryKey(DicomTags.SOPInstanceUID, DicomVR.UI, null), .. keys]));
        Assert.That(plan.Success, Is.True, plan.ErrorComment);
        var list = new List<FindResult>();
        await foreach (var r in _host.Index.FindAsync(plan.Plan!, CancellationToken.None)) list.Add(r);
        return list;
    }

    [Test]
    public async Task Doctors_correction_stores_a_verified_SR_that_C_FIND_finds_and_dciodvfy_accepts()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        using var rsp = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections",
            new { field = "body-part", newLabel = "abdomen", comment = "liver dome, not chest" });
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Created), await rsp.Content.ReadAsStringAsync());
        var record = await rsp.Content.ReadFromJsonAsync<JsonElement>();
        var srUid = record.GetProperty("correctedSrUid").GetString()!;
        Assert.Multiple(() =>
        {
            Assert.That(record.GetProperty("userName").GetString(), Is.EqualTo("drjane"));
            Assert.That(record.GetProperty("oldLabel").GetString(), Is.EqualTo("chest"));
            Assert.That(record.GetProperty("newLabel").GetString(), Is.EqualTo("abdomen"));
            Assert.That(record.GetProperty("modelVersion").GetString(), Is.EqualTo("body-part@1.0.0"));
            Assert.That(record.GetProperty("retrainQueued").GetBoolean(), Is.True);
        });

        // IMAGE-level C-FIND on Verification Flag finds exactly the correction (the AI SR is UNVERIFIED).
        var verified = await FindImagesAsync(new QueryKey(DicomTags.VerificationFlag, DicomVR.CS, "VERIFIED"));
        Assert.That(verified.Select(r => r.SopInstanceUid), Is.EqualTo(new[] { srUid }));
        var unverified = await FindImagesAsync(new QueryKey(DicomTags.VerificationFlag, DicomVR.CS, "UNVERIFIED"));
        Assert.That(unverified.Select(r => r.SopInstanceUid), Is.EqualTo(new[] { _host.AiSrUid }));

        var path = _host.Store.GetFullPath(verified[0].FilePath!);
        var ds = DicomFile.Open(path).Dataset;
        Assert.Multiple(() =>
        {
            Assert.That(ds.GetString(DicomTags.CompletionFlag), Is.EqualTo("COMPLETE"));
            Assert.That(ds.GetString(DicomTags.PreliminaryFlag), Is.EqualTo("FINAL"));
            var predecessor = ds.GetSequence(DicomTags.PredecessorDocumentsSequence).Items[0]
                .GetSequence(DicomTags.ReferencedSeriesSequence).Items[0].GetSequence(DicomTags.ReferencedSOPSequence).Items[0];
            Assert.That(predecessor.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo(_host.AiSrUid));
            Assert.That(ds.GetSequence(DicomTags.VerifyingObserverSequence).Items[0].GetString(DicomTags.VerifyingObserverName), Is.EqualTo("Doe^Jane"));
            var root = DicomContentTreeReader.ReadRoot(ds);
            Assert.That(((DicomPersonNameItem)root.FindChild(SrCodes.PersonObserverName)!).Name.Value, Is.EqualTo("Doe^Jane"));
            var codes = root.DescendantsAndSelf().OfType<DicomCodeItem>().Where(c => c.ConceptName!.Value.Matches(SrCodes.TargetRegion)).ToList();
            Assert.That(codes.Single().Code.Matches(SrCodes.RegionForLabel("abdomen")), Is.True);
        });

        const string dciodvfy = "/usr/bin/dciodvfy";
        if (!File.Exists(dciodvfy)) Assert.Fail("dciodvfy is missing; install the Debian package dicom3tools.");
        using var p = Process.Start(new ProcessStartInfo(dciodvfy, [path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.That(output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)), Is.Empty, output);
        Assert.That(output, Does.Contain("Comprehensive3DSR").Or.Contain("Comprehensive 3D SR"), output);

        // Queued for retraining, visible to admins; the worklist marks the study corrected.
        using var admin = await _host.SignedInAsync("boss");
        var queue = await admin.GetFromJsonAsync<JsonElement>("/api/retrain-queue");
        Assert.That(queue.EnumerateArray().Select(q => q.GetProperty("correctedSrUid").GetString()), Does.Contain(srUid));
        var worklist = await admin.GetFromJsonAsync<JsonElement>("/api/worklist");
        Assert.That(worklist.EnumerateArray().Single(s => s.GetProperty("studyInstanceUid").GetString() == _host.StudyUid).GetProperty("corrected").GetBoolean(), Is.True);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=drjane&action=correction");
        Assert.That(audit[0].GetProperty("target").GetString(), Is.EqualTo(_host.SliceUid(0)));
    }

    [Test]
    public async Task Malignancy_correction_keeps_an_earlier_body_part_correction_in_the_new_SR()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        (await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "body-part", newLabel = "chest" })).Dispose();
        using var rsp = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "malignancy", newLabel = "not-suspicious" });
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Created), await rsp.Content.ReadAsStringAsync());
        var record = await rsp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(record.GetProperty("oldLabel").GetString(), Is.EqualTo("suspicious"), "the AI said 0.83 ≥ 0.5");
        var found = await _host.Index.FindInstanceAsync(record.GetProperty("correctedSrUid").GetString()!, CancellationToken.None);
        var root = DicomContentTreeReader.ReadRoot(DicomFile.Open(_host.Store.GetFullPath(found!.FilePath)).Dataset);
        var all = root.DescendantsAndSelf().OfType<DicomCodeItem>().ToList();
        Assert.That(all.Single(c => c.ConceptName!.Value.Matches(SrCodes.SuspiciousForMalignancy)).Code.Matches(SrCodes.No), Is.True);
        Assert.That(all.Single(c => c.ConceptName!.Value.Matches(SrCodes.TargetRegion)).Code.Matches(SrCodes.RegionForLabel("chest")), Is.True);
    }

    [Test]
    public async Task Technologist_cannot_correct_and_invalid_labels_are_refused()
    {
        using var tech = await _host.SignedInAsync("tech");
        using var forbidden = await tech.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "body-part", newLabel = "head" });
        Assert.That(forbidden.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        using var doctor = await _host.SignedInAsync("drjane");
        using var bad = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(0)}/corrections", new { field = "body-part", newLabel = "elbow" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var noAi = await doctor.PostAsJsonAsync($"/api/instances/{_host.SliceUid(2)}/corrections", new { field = "body-part", newLabel = "head" });
        Assert.That(noAi.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    private static MultipartFormDataContent Upload(string fileName, byte[] bytes)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        content.Add(file, "files", fileName);
        return content;
    }

    private byte[] NewSliceBytes(out string sopUid)
    {
        var ds = _host.Slices[1].Clone();
        sopUid = DicomUid.Generate().Value;
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, sopUid);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        using var ms = new MemoryStream();
        file.Save(ms);
        return ms.ToArray();
    }

    [TestCase("notes.txt", "text", 400, "Not a DICOM")]
    [TestCase("cut.dcm", "truncated", 422, "truncated")]
    [TestCase("big.dcm", "oversized", 413, "larger than")]
    [TestCase("empty.dcm", "empty", 400, "empty")]
    public async Task Bad_uploads_get_clear_problems_and_store_nothing(string name, string kind, int status, string message)
    {
        var good = NewSliceBytes(out _);
        byte[] bytes = kind switch
        {
            "text" => "patient notes, not an image\n"u8.ToArray(),
            "truncated" => good[..(good.Length - 1000)],
            "oversized" => [.. good, .. new byte[ViewerTestHost.UploadLimit]],
            _ => [],
        };
        long before = await _host.CountInstancesAsync();
        var files = _host.StoredFiles();
        using var tech = await _host.SignedInAsync("tech");
        using var rsp = await tech.PostAsync("/api/upload", Upload(name, bytes));
        Assert.That((int)rsp.StatusCode, Is.EqualTo(status), await rsp.Content.ReadAsStringAsync());
        Assert.That(rsp.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await rsp.Content.ReadAsStringAsync(), Does.Contain(message));
        Assert.That(await _host.CountInstancesAsync(), Is.EqualTo(before), "no row");
        Assert.That(_host.StoredFiles(), Is.EqualTo(files), "no file, not even a .part");
    }

    [Test]
    public async Task Valid_upload_is_stored_like_a_C_STORE_and_audited()
    {
        var bytes = NewSliceBytes(out var sop);
        using var tech = await _host.SignedInAsync("tech");
        using var rsp = await tech.PostAsync("/api/upload", Upload("slice.dcm", bytes));
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Created), await rsp.Content.ReadAsStringAsync());
        var result = (await rsp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("files")[0];
        Assert.That(result.GetProperty("sopInstanceUid").GetString(), Is.EqualTo(sop));
        var found = await _host.Index.FindInstanceAsync(sop, CancellationToken.None);
        Assert.That(found, Is.Not.Null);
        Assert.That(File.ReadAllBytes(_host.Store.GetFullPath(found!.FilePath)).Length, Is.GreaterThan(0));
        using var admin = await _host.SignedInAsync("boss");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=tech&action=upload");
        Assert.That(audit[0].GetProperty("target").GetString(), Is.EqualTo(sop));
    }

    [Test]
    public async Task Doctor_cannot_upload()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        using var rsp = await doctor.PostAsync("/api/upload", Upload("slice.dcm", NewSliceBytes(out _)));
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Echo_to_an_unknown_AE_is_a_404_problem()
    {
        using var tech = await _host.SignedInAsync("tech");
        using var rsp = await tech.PostAsJsonAsync("/api/echo", new { aeTitle = "NOSUCHAE" });
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await rsp.Content.ReadAsStringAsync(), Does.Contain("remote AE table"));
    }

    [Test]
    public async Task Echo_and_send_reach_a_DCMTK_storescp_from_the_remote_AE_table()
    {
        const string storescp = "/usr/bin/storescp";
        if (!File.Exists(storescp)) Assert.Fail("storescp is missing; install the Debian package dcmtk.");
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var output = Path.Combine(_host.Root, "storescp-out");
        Directory.CreateDirectory(output);
        using var peer = Process.Start(new ProcessStartInfo(storescp, ["-aet", "PEER", "-od", output, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            await _host.Index.UpsertRemoteAeAsync(new RemoteAe("PEER", "127.0.0.1", port, AeOperations.All, "DCMTK storescp"), CancellationToken.None);
            using var tech = await _host.SignedInAsync("tech");
            JsonElement echo = default;
            for (int attempt = 0; attempt < 50; attempt++) // storescp needs a moment to listen
            {
                using var rsp = await tech.PostAsJsonAsync("/api/echo", new { aeTitle = "PEER" });
                if (rsp.StatusCode == HttpStatusCode.OK) { echo = await rsp.Content.ReadFromJsonAsync<JsonElement>(); break; }
                await Task.Delay(100);
            }
            Assert.That(echo.ValueKind, Is.EqualTo(JsonValueKind.Object), "C-ECHO to storescp never succeeded");
            Assert.That(echo.GetProperty("success").GetBoolean(), Is.True);

            long inStudy = (await FindImagesAsync()).Count;
            using var send = await tech.PostAsJsonAsync("/api/send", new { aeTitle = "PEER", studyInstanceUid = _host.StudyUid });
            Assert.That(send.StatusCode, Is.EqualTo(HttpStatusCode.OK), await send.Content.ReadAsStringAsync());
            var result = await send.Content.ReadFromJsonAsync<JsonElement>();
            Assert.That(result.GetProperty("sent").GetInt32(), Is.EqualTo(inStudy));
            Assert.That(result.GetProperty("failed").GetInt32(), Is.Zero);
            var received = Directory.GetFiles(output).Select(f => DicomFile.OpenHeader(f).Dataset.GetString(DicomTags.SOPInstanceUID)).Order().ToList();
            Assert.That(received, Is.EqualTo((await FindImagesAsync()).Select(r => r.SopInstanceUid!).Order().ToList()), "storescp holds every instance of the study");

            using var admin = await _host.SignedInAsync("boss");
            var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=tech&action=send");
            Assert.That(audit[0].GetProperty("detail").GetString(), Is.EqualTo($"to PEER: {inStudy} sent, 0 failed"));
        }
        finally
        {
            peer.Kill();
            await peer.WaitForExitAsync();
        }
    }
}
