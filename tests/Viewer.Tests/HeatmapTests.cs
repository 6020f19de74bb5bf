using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Scp.Index;
using SkiaSharp;

namespace EdgeCancer.Viewer.Tests;

/// <summary>Occlusion heatmaps through the API, with the repository's models, on a synthetic chest CT slice through a lesion.</summary>
[TestFixture, Category("Viewer"), NonParallelizable]
public class HeatmapTests
{
    private ViewerTestHost _host = null!;
    private CtPhantom _phantom = null!;
    private Lesion _lesion = null!;
    private string _lesionSlice = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await ViewerTestHost.StartAsync(IndexDialect.Sqlite, withModels: true);
        // The patient of the inference tests' heatmap check: a seed used neither in training nor held-out.
        _phantom = new CtPhantom(new CtPhantomOptions { Seed = 4242, Slices = 64, Body = BodyRegionChoice.Chest, Lesions = LesionMode.Always }, 0);
        _lesion = _phantom.Lesions.Where(l => l.MalignantLooking).MaxBy(l => l.DiameterMm)!;
        var ds = CtSeriesWriter.CreateSliceDataset(_phantom, _phantom.Geometry.Slice(_lesion.Z));
        var (outcome, _, _) = await _host.Writer.StoreAsync(new DicomFile(ds), enqueueWork: false);
        Assert.That(outcome.Status.IsSuccess, Is.True, outcome.ErrorComment);
        _lesionSlice = ds.GetString(DicomTags.SOPInstanceUID);
    }

    [OneTimeTearDown]
    public async Task Stop() => await _host.DisposeAsync();

    private static double MeanAlpha(SKBitmap bmp, int r0, int c0, int r1, int c1, out int max)
    {
        double sum = 0;
        int n = 0;
        max = 0;
        for (int r = Math.Max(0, r0); r < Math.Min(bmp.Height, r1); r++)
            for (int c = Math.Max(0, c0); c < Math.Min(bmp.Width, c1); c++)
            {
                int a = bmp.GetPixel(c, r).Alpha;
                sum += a; n++;
                max = Math.Max(max, a);
            }
        return sum / n;
    }

    [Test]
    public async Task Heatmap_is_an_RGBA_PNG_at_the_image_size_with_alpha_at_the_lesion_and_is_cached()
    {
        using var doctor = await _host.SignedInAsync("drjane");
        var clock = Stopwatch.StartNew();
        using var rsp = await doctor.GetAsync($"/api/instances/{_lesionSlice}/heatmap.png?model=chest-malignancy");
        var first = clock.Elapsed;
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rsp.Content.ReadAsStringAsync());
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(rsp.Headers.GetValues("X-Model").Single(), Is.EqualTo("chest-malignancy"));
        var bytes = await rsp.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.That(codec.Info.AlphaType, Is.Not.EqualTo(SKAlphaType.Opaque), "the PNG has an alpha channel");
        using var bmp = SKBitmap.Decode(bytes);
        var g = _phantom.Geometry;
        Assert.That((bmp.Width, bmp.Height), Is.EqualTo((g.Columns, g.Rows)), "overlay at the image's size");

        int r = g.Row(_lesion.Y), c = g.Column(_lesion.X), half = (int)Math.Ceiling(_lesion.DiameterMm / 2 / g.PixelSpacing) + 8;
        int mirrored = g.Column(-_lesion.X);
        double atLesion = MeanAlpha(bmp, r - half, c - half, r + half, c + half, out int maxAtLesion);
        double otherLung = MeanAlpha(bmp, r - half, mirrored - half, r + half, mirrored + half, out _);
        TestContext.Out.WriteLine($"heatmap in {first.TotalMilliseconds:0} ms; lesion {_lesion.DiameterMm:0} mm at ({r},{c}): mean alpha {atLesion:0.0} (max {maxAtLesion}); mirrored {otherLung:0.0}");
        Assert.That(maxAtLesion, Is.GreaterThan(0), "the overlay is visible at the lesion");
        Assert.That(atLesion, Is.GreaterThan(otherLung), "stronger at the lesion than at the same place in the other lung");
        var p = bmp.GetPixel(c, r);
        Assert.That(p.Alpha == 0 || p.Red + p.Green + p.Blue > 0, Is.True, "coloured where visible");

        // Cached: the same heatmap again is quick, and the ETag revalidates to 304.
        clock.Restart();
        using var again = await doctor.GetAsync($"/api/instances/{_lesionSlice}/heatmap.png?model=chest-malignancy");
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await again.Content.ReadAsByteArrayAsync(), Is.EqualTo(bytes));
        Assert.That(clock.Elapsed, Is.LessThan(first / 4), "served from the heatmap cache");
        var revalidate = new HttpRequestMessage(HttpMethod.Get, $"/api/instances/{_lesionSlice}/heatmap.png?model=chest-malignancy");
        revalidate.Headers.TryAddWithoutValidation("If-None-Match", rsp.Headers.ETag!.ToString());
        using var notModified = await doctor.SendAsync(revalidate);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task AI_results_link_their_heatmap_when_the_node_has_models()
    {
        using var tech = await _host.SignedInAsync("tech");
        var ai = await tech.GetFromJsonAsync<JsonElement>($"/api/instances/{_host.SliceUid(0)}/ai");
        Assert.That(ai.GetProperty("results")[0].GetProperty("heatmapUrl").GetString(),
            Is.EqualTo($"/api/instances/{_host.SliceUid(0)}/heatmap.png?model=chest-malignancy"));
    }

    [Test]
    public async Task Unknown_model_is_404_and_a_report_is_422_problem()
    {
        using var tech = await _host.SignedInAsync("tech");
        using var unknown = await tech.GetAsync($"/api/instances/{_lesionSlice}/heatmap.png?model=no-such-model");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(unknown.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("Model not available").And.Contain("chest-malignancy"));

        using var sr = await tech.GetAsync($"/api/instances/{_host.AiSrUid}/heatmap.png?model=chest-malignancy");
        Assert.That((int)sr.StatusCode, Is.EqualTo(422));
        Assert.That(sr.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await sr.Content.ReadAsStringAsync(), Does.Contain("Structured Report"));

        using var missing = await tech.GetAsync("/api/instances/1.2.3.4/heatmap.png");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Without_models_the_heatmap_is_a_404_model_not_available_and_results_link_none()
    {
        await using var bare = await ViewerTestHost.StartAsync(IndexDialect.Sqlite);
        using var doctor = await bare.SignedInAsync("drjane");
        using var rsp = await doctor.GetAsync($"/api/instances/{bare.SliceUid(0)}/heatmap.png?model=chest-malignancy");
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(rsp.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await rsp.Content.ReadAsStringAsync(), Does.Contain("Model not available"));
        var ai = await doctor.GetFromJsonAsync<JsonElement>($"/api/instances/{bare.SliceUid(0)}/ai");
        Assert.That(ai.GetProperty("results")[0].GetProperty("heatmapUrl").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
