using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using SkiaSharp;

using EdgeCancer.Scp.Index;

namespace EdgeCancer.Viewer.Tests;

[TestFixture(IndexDialect.Sqlite), TestFixture(IndexDialect.PostgreSql), Category("Viewer"), NonParallelizable]
public class ImageTests(IndexDialect dialect)
{
    private ViewerTestHost _host = null!;
    private HttpClient _tech = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await ViewerTestHost.StartAsync(dialect);
        _tech = await _host.SignedInAsync("tech");
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _tech.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<short[]> HuAsync(string uid)
    {
        using var rsp = await _tech.GetAsync($"/api/instances/{uid}/pixels");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(rsp.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/octet-stream"));
        var bytes = await rsp.Content.ReadAsByteArrayAsync();
        int rows = int.Parse(rsp.Headers.GetValues("X-Rows").Single(), CultureInfo.InvariantCulture);
        int cols = int.Parse(rsp.Headers.GetValues("X-Columns").Single(), CultureInfo.InvariantCulture);
        Assert.That(bytes, Has.Length.EqualTo(rows * cols * 2));
        return Enumerable.Range(0, rows * cols).Select(i => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2))).ToArray();
    }

    private async Task<SKBitmap> PngAsync(string query)
    {
        using var rsp = await _tech.GetAsync($"/api/instances/{_host.SliceUid(1)}/image.png{query}");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rsp.Content.ReadAsStringAsync());
        Assert.That(rsp.Content.Headers.ContentType!.MediaType, Is.EqualTo("image/png"));
        var bytes = await rsp.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.AsSpan(0, 8).ToArray(), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "PNG signature");
        return SKBitmap.Decode(bytes);
    }

    /// <summary>The linear VOI function of PS3.3 C.11.2.1.2.1 to 0–255.</summary>
    private static double Window(double x, double c, double w)
    {
        if (x <= c - 0.5 - (w - 1) / 2) return 0;
        if (x > c - 0.5 + (w - 1) / 2) return 255;
        return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
    }

    [Test]
    public async Task Lung_and_mediastinum_presets_render_the_pixels_the_window_predicts()
    {
        var hu = await HuAsync(_host.SliceUid(1));
        using var lung = await PngAsync("?preset=lung");
        using var mediastinum = await PngAsync("?preset=mediastinum");
        int cols = lung.Width;
        int differing = 0, worstLung = 0, worstMed = 0;
        for (int i = 0; i < hu.Length; i++)
        {
            byte l = lung.GetPixel(i % cols, i / cols).Red, m = mediastinum.GetPixel(i % cols, i / cols).Red;
            worstLung = Math.Max(worstLung, (int)Math.Abs(l - Window(hu[i], -600, 1500)));
            worstMed = Math.Max(worstMed, (int)Math.Abs(m - Window(hu[i], 50, 350)));
            if (l != m) differing++;
        }
        Assert.That(worstLung, Is.LessThanOrEqualTo(1), "lung window 1500/-600");
        Assert.That(worstMed, Is.LessThanOrEqualTo(1), "mediastinum window 350/50");
        Assert.That(differing, Is.GreaterThan(hu.Length / 4), "the presets give visibly different images of a chest slice");
        // Air (about -1000 HU) is black in both; lung parenchyma (about -850) is grey only with the lung window.
        int lungGrey = hu.Select((v, i) => (v, i)).Count(p => p.v is > -900 and < -700 && lung.GetPixel(p.i % cols, p.i / cols).Red is > 20 and < 120);
        Assert.That(lungGrey, Is.GreaterThan(100), "lung parenchyma is mid-grey in the lung window");
    }

    [Test]
    public async Task Explicit_window_and_invert_change_the_rendering()
    {
        var hu = await HuAsync(_host.SliceUid(1));
        using var plain = await PngAsync("?wc=40&ww=400");
        using var inverted = await PngAsync("?wc=40&ww=400&invert=true");
        int cols = plain.Width;
        for (int i = 0; i < hu.Length; i += 97)
        {
            Assert.That(plain.GetPixel(i % cols, i / cols).Red, Is.EqualTo(Window(hu[i], 40, 400)).Within(1));
            Assert.That(inverted.GetPixel(i % cols, i / cols).Red, Is.EqualTo(255 - plain.GetPixel(i % cols, i / cols).Red));
        }
    }

    [Test]
    public async Task Pixels_carry_geometry_headers_and_the_stored_hounsfield_units()
    {
        using var rsp = await _tech.GetAsync($"/api/instances/{_host.SliceUid(0)}/pixels");
        Assert.That(rsp.Headers.GetValues("X-PixelSpacing").Single(), Is.EqualTo(_host.Slices[0].GetString(DicomTags.PixelSpacing)));
        var hu = await HuAsync(_host.SliceUid(0));
        var stored = new EdgeCancer.Dicom.Imaging.DicomImage(_host.Slices[0], DicomTransferSyntax.ExplicitVRLittleEndian).GetModalityValues(0);
        Assert.That(hu.Select(v => (double)v), Is.EqualTo(stored.Select(v => Math.Round(v))));
    }

    [Test]
    public async Task Unsigned_16_bit_pixels_with_an_intercept_are_served_as_clamped_modality_values()
    {
        // Stored values 0..65535 (Pixel Representation 0, Bits Stored 16) with intercept -1024: the frame is copied as
        // it is stored and the intercept added in place; 65535 - 1024 is clamped to Int16.MaxValue.
        var hu = await HuAsync(_host.SliceUid(1));
        var ds = _host.Slices[1].Clone();
        var sop = DicomUid.Generate().Value;
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
        var stored = hu.Select(v => (ushort)Math.Max(0, v + 1024)).ToArray();
        stored[0] = 65535;
        var bytes = new byte[stored.Length * 2];
        for (int i = 0; i < stored.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), stored[i]);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, bytes);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        var (outcome, _, _) = await _host.Writer.StoreAsync(file, enqueueWork: false);
        Assert.That(outcome.Status.IsSuccess, Is.True, outcome.ErrorComment);
        var served = await HuAsync(sop);
        var expected = stored.Select(v => (short)Math.Min(short.MaxValue, v - 1024)).ToArray();
        Assert.That(served[0], Is.EqualTo(short.MaxValue));
        Assert.That(served, Is.EqualTo(expected));
    }

    [Test]
    public async Task First_pixels_of_a_study_are_the_first_slice_of_its_first_image_series()
    {
        using var rsp = await _tech.GetAsync($"/api/studies/{_host.StudyUid}/first/pixels");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var uid = rsp.Headers.GetValues("X-Sop-Instance-Uid").Single();
        var series = await _tech.GetFromJsonAsync<JsonElement>($"/api/studies/{_host.StudyUid}/series");
        var first = series.EnumerateArray().First(s => s.GetProperty("modality").GetString() is not ("SR" or "KO" or "PR" or "DOC"));
        Assert.That(uid, Is.EqualTo(first.GetProperty("firstSopInstanceUid").GetString()));
        var body = await rsp.Content.ReadAsByteArrayAsync();
        using var direct = await _tech.GetAsync($"/api/instances/{uid}/pixels");
        Assert.That(body, Is.EqualTo(await direct.Content.ReadAsByteArrayAsync()));
        Assert.That(rsp.Headers.ETag, Is.EqualTo(direct.Headers.ETag));
        using var missing = await _tech.GetAsync("/api/studies/1.2.3.999/first/pixels");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Unknown_preset_and_bad_frame_are_clear_problems()
    {
        using var preset = await _tech.GetAsync($"/api/instances/{_host.SliceUid(0)}/image.png?preset=liver");
        Assert.That(preset.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await preset.Content.ReadAsStringAsync(), Does.Contain("lung"));
        using var frame = await _tech.GetAsync($"/api/instances/{_host.SliceUid(0)}/image.png?frame=2");
        Assert.That(frame.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var missing = await _tech.GetAsync("/api/instances/1.2.3.999/image.png");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Undecodable_transfer_syntax_is_a_422_naming_it()
    {
        // A JPEG 2000 image: the toolkit has no decoder for it.
        var ds = _host.Slices[2].Clone();
        var sop = DicomUid.Generate().Value;
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomUid.Generate().Value);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomUid.Generate().Value);
        ds.Remove(DicomTags.PixelData);
        var fragment = new EdgeCancer.Dicom.IO.Buffers.MemoryByteBuffer(new byte[] { 0xFF, 0x4F, 0xFF, 0x51, 0, 0 });
        ds.Add(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, new EdgeCancer.Dicom.IO.Buffers.MemoryByteBuffer(Array.Empty<byte>()), [fragment]));
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.Parse("1.2.840.10008.1.2.4.90"), "TEST");
        var (outcome, _, _) = await _host.Writer.StoreAsync(file, enqueueWork: false);
        Assert.That(outcome.Status.IsSuccess, Is.True, outcome.ErrorComment);
        using var rsp = await _tech.GetAsync($"/api/instances/{sop}/image.png");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = await rsp.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("detail").GetString(), Does.StartWith("no decoder for JPEG 2000").And.Contain("1.2.840.10008.1.2.4.90"));
    }

    [Test]
    public async Task Attributes_list_every_element_with_nested_sequences()
    {
        var json = await _tech.GetFromJsonAsync<JsonElement>($"/api/instances/{_host.AiSrUid}/attributes");
        var top = json.GetProperty("dataset").EnumerateArray().ToList();
        var name = top.Single(a => a.GetProperty("keyword").GetString() == "PatientName");
        Assert.That(name.GetProperty("value").GetString(), Is.EqualTo(_host.Slices[0].GetString(DicomTags.PatientName)));
        Assert.That(name.GetProperty("tag").GetString(), Is.EqualTo("(0010,0010)"));
        var content = top.Single(a => a.GetProperty("keyword").GetString() == "ContentSequence");
        Assert.That(content.GetProperty("vr").GetString(), Is.EqualTo("SQ"));
        Assert.That(content.GetProperty("items").GetArrayLength(), Is.GreaterThan(0));
        Assert.That(top.Count, Is.EqualTo(DicomFile.Open(_host.Store.GetFullPath((await _host.Index.FindInstanceAsync(_host.AiSrUid, CancellationToken.None))!.FilePath)).Dataset.Count));
    }

    [Test]
    public async Task Worklist_series_instances_and_ai_describe_the_stored_study()
    {
        var worklist = await _tech.GetFromJsonAsync<JsonElement>("/api/worklist?sort=priority");
        var study = worklist.EnumerateArray().Single(s => s.GetProperty("studyInstanceUid").GetString() == _host.StudyUid);
        Assert.That(study.GetProperty("imageCount").GetInt64(), Is.EqualTo(3), "SR instances are not images");
        Assert.That(study.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()), Is.EquivalentTo(new[] { "CT", "SR" }));
        Assert.That(study.GetProperty("aiStatus").GetString(), Is.EqualTo("done"));
        Assert.That(study.GetProperty("maxMalignancyProbability").GetDouble(), Is.EqualTo(0.83));
        Assert.That(study.GetProperty("corrected").GetBoolean(), Is.False);

        var none = await _tech.GetFromJsonAsync<JsonElement>("/api/worklist?status=pending");
        Assert.That(none.GetArrayLength(), Is.Zero);
        using var badDate = await _tech.GetAsync("/api/worklist?from=yesterday");
        Assert.That(badDate.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        var series = await _tech.GetFromJsonAsync<JsonElement>($"/api/studies/{_host.StudyUid}/series");
        var ct = series.EnumerateArray().Single(s => s.GetProperty("modality").GetString() == "CT");
        Assert.That(ct.GetProperty("instanceCount").GetInt64(), Is.EqualTo(3));
        var instances = await _tech.GetFromJsonAsync<JsonElement>($"/api/series/{_host.SeriesUid}/instances");
        Assert.That(instances.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("sopInstanceUid").GetString()),
            Is.EqualTo(new[] { _host.SliceUid(0), _host.SliceUid(1), _host.SliceUid(2) }));

        var ai = await _tech.GetFromJsonAsync<JsonElement>($"/api/instances/{_host.SliceUid(0)}/ai");
        var r = ai.GetProperty("results")[0];
        Assert.That(r.GetProperty("bodyPart").GetString(), Is.EqualTo("chest"));
        Assert.That(r.GetProperty("malignancyProbability").GetDouble(), Is.EqualTo(0.83));
        Assert.That(r.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString() + "@" + m.GetProperty("version").GetString()),
            Is.EqualTo(new[] { "body-part@1.0.0", "chest-malignancy@1.2.0" }));
        Assert.That(r.GetProperty("srSopInstanceUid").GetString(), Is.EqualTo(_host.AiSrUid));
    }

    [Test]
    public async Task Study_view_and_image_view_are_audited_image_views_once_per_series()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        await doctor.GetStringAsync($"/api/studies/{_host.StudyUid}/series");
        for (int i = 0; i < 3; i++) (await doctor.GetAsync($"/api/instances/{_host.SliceUid(i)}/image.png")).Dispose();
        using var admin = await _host.SignedInAsync("boss");
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/admin/audit?user=drjane");
        var actions = audit.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.That(actions.Count(a => a == "study-view"), Is.EqualTo(1));
        Assert.That(actions.Count(a => a == "image-view"), Is.EqualTo(1));
    }
}
