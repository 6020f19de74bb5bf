using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Interop.Tests.Archive;
using Microsoft.Playwright;

namespace EdgeCancer.Browser.Tests;

/// <summary>
/// Issue 5 "must show" in a real browser: Debian's chromium (Playwright) against the real node, fed by DCMTK storescu
/// with a synthetic chest CT series; corrections are checked with findscu.
/// </summary>
[TestFixture, Category("Browser"), NonParallelizable]
public sealed partial class ViewerBrowserTests
{
    private BrowserNode _node = null!;
    private string _chest = "", _study = "";
    private int _slices;

    [OneTimeSetUp]
    public async Task StartNodeAndSendChestSeries()
    {
        _node = await BrowserNode.StartAsync("viewer");
        var root = await SyntheticSeries.GetAsync(1, 16, 256, seed: 51, body: "chest");
        _chest = SyntheticSeries.SeriesFolders(root)[0];
        _slices = SyntheticSeries.Files(_chest).Length;
        _study = DicomFile.OpenHeader(SyntheticSeries.Files(_chest)[0]).Dataset.GetString(DicomTags.StudyInstanceUID);
        await _node.SendAsync(_chest);
        // The series summary SR appears once every slice has its result (quiet period 2 s).
        var deadline = DateTime.UtcNow.AddSeconds(240);
        while (DateTime.UtcNow < deadline)
        {
            var found = await _node.FindAsync("QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + _study, "SeriesDescription");
            if (found.Contains("AI series summary", StringComparison.Ordinal)) return;
            await Task.Delay(1000);
        }
        Assert.Fail("the AI summary of the chest series did not appear within 240 s");
    }

    [OneTimeTearDown]
    public async Task Stop() => await _node.DisposeAsync();

    [SetUp]
    public void ForgetEarlierScreenshots() => Steps.Reset();

    private async Task<(IBrowserContext Context, IPage Page)> SignedInAsync(string user)
    {
        var context = await _node.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await BrowserNode.SignInAsync(page, user);
        await Expect(page.GetByTestId("worklist")).ToBeVisibleAsync();
        return (context, page);
    }

    private async Task<IPage> OpenStudyAsync(IPage page)
    {
        await page.GotoAsync("/#/study/" + _study);
        await page.WaitForFunctionAsync("() => window.__ecViewer && window.__ecViewer.drawnUid && window.__ecViewer.count > 0");
        return page;
    }

    private static ILocatorAssertions Expect(ILocator l) => Assertions.Expect(l);

    [Test]
    public async Task Signed_in_worklist_lists_the_study_sent_by_storescu_with_its_AI_result()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await Steps.ShotAsync(page, "signed in");
        var row = page.Locator($"[data-testid=worklist-row][data-study='{_study}']");
        await Expect(row.GetByTestId("cell-ai-status")).ToHaveTextAsync("done", new() { Timeout = 60_000 });
        await Expect(row.GetByTestId("cell-images")).ToHaveTextAsync(new Regex("^" + _slices + "$"));
        await Expect(row.GetByTestId("cell-modality")).ToContainTextAsync("CT");
        var malignancy = await row.GetByTestId("cell-malignancy").InnerTextAsync();
        Assert.That(malignancy, Does.Match(@"^\d+(\.\d)? %$"), "highest malignancy probability shown as a percentage");
        // The figure is the API's, rounded to 0.1 %.
        var api = await page.EvaluateAsync<JsonElement>("async () => (await (await fetch('/api/worklist')).json())");
        var study = api.EnumerateArray().Single(s => s.GetProperty("studyInstanceUid").GetString() == _study);
        var p = study.GetProperty("maxMalignancyProbability").GetDouble();
        Assert.That(malignancy, Is.EqualTo((p * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %"));
        await Steps.ShotAsync(page, "worklist with AI result");

        // Filters: a patient that does not exist empties the list; clearing brings the study back.
        await page.GetByTestId("filter-patient").FillAsync("nobody-like-this");
        await Expect(page.GetByTestId("worklist-empty")).ToBeVisibleAsync();
        await page.GetByTestId("filter-clear").ClickAsync();
        await Expect(row).ToBeVisibleAsync();
    }

    [Test]
    public async Task Worklist_shows_a_newly_sent_study_without_reload()
    {
        var (context, page) = await SignedInAsync("tech");
        await using var _ = context;
        var head = SyntheticSeries.SeriesFolders(await SyntheticSeries.GetAsync(1, 3, 128, seed: 52, body: "head"))[0];
        var headStudy = DicomFile.OpenHeader(SyntheticSeries.Files(head)[0]).Dataset.GetString(DicomTags.StudyInstanceUID);
        var navigations = 0;
        page.FrameNavigated += (_, f) => { if (f == page.MainFrame) navigations++; };
        await _node.SendAsync(head);
        await Expect(page.Locator($"[data-testid=worklist-row][data-study='{headStudy}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.That(navigations, Is.EqualTo(0), "the page was not reloaded");
        await Steps.ShotAsync(page, "new study appeared");
    }

    [Test]
    public async Task Viewer_scrolls_slices_with_wheel_and_arrow_keys()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        await Expect(page.GetByTestId("overlay-slice")).ToContainTextAsync($"Slice 1/{_slices}");
        // A doctor may export the study (the server allows every role and audits it), so the page offers it.
        await Expect(page.GetByTestId("export-study")).ToBeVisibleAsync();
        Assert.That(await page.GetByTestId("export-study").GetAttributeAsync("href"), Is.EqualTo($"/api/studies/{_study}/export"));
        await Steps.ShotAsync(page, "study opened");
        var first = await page.EvaluateAsync<string>("() => window.__ecViewer.drawnUid");
        var before = await CanvasHashAsync(page);

        var canvas = page.GetByTestId("viewer-canvas");
        var box = (await canvas.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, 100);
        await Expect(page.GetByTestId("overlay-slice")).ToContainTextAsync($"Slice 2/{_slices}");
        await page.WaitForFunctionAsync("u => window.__ecViewer.drawnUid && window.__ecViewer.drawnUid !== u", first);
        var second = await page.EvaluateAsync<string>("() => window.__ecViewer.drawnUid");
        Assert.That(await CanvasHashAsync(page), Is.Not.EqualTo(before), "the displayed image changed");
        await Steps.ShotAsync(page, "after wheel");

        await canvas.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.GetByTestId("overlay-slice")).ToContainTextAsync($"Slice 4/{_slices}");
        await page.WaitForFunctionAsync("u => window.__ecViewer.drawnUid !== u && window.__ecViewer.slice === 4", second);
        await page.Keyboard.PressAsync("ArrowUp");
        await Expect(page.GetByTestId("overlay-slice")).ToContainTextAsync($"Slice 3/{_slices}");
        await page.Keyboard.PressAsync("End");
        await Expect(page.GetByTestId("overlay-slice")).ToContainTextAsync($"Slice {_slices}/{_slices}");
        await Steps.ShotAsync(page, "after keys");

        // The displayed slice is the series' slice at that index (Instance Number order).
        var uids = await page.EvaluateAsync<string[]>(
            "async () => { const series = decodeURIComponent(location.hash.split('/')[3]); const s = await (await fetch('/api/series/' + series + '/instances')).json(); return s.instances.map(i => i.sopInstanceUid); }");
        await page.WaitForFunctionAsync("u => window.__ecViewer.drawnUid === u", uids[^1]);
    }

    [Test]
    public async Task Lung_preset_draws_the_linear_VOI_of_the_raw_HU_values()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        await page.GetByTestId("canvas").Or(page.GetByTestId("viewer-canvas")).First.FocusAsync();
        for (int i = 0; i < _slices / 2; i++) await page.Keyboard.PressAsync("ArrowDown");
        await page.GetByTestId("preset-lung").ClickAsync();
        await Expect(page.GetByTestId("overlay-wl")).ToHaveTextAsync("W 1500 / L -600");
        await page.WaitForFunctionAsync($"() => window.__ecViewer.slice === {_slices / 2 + 1} && window.__ecViewer.drawnUid");
        await Steps.ShotAsync(page, "lung preset");

        // In the page: fetch the HU of the displayed slice, predict each sampled pixel with PS3.3 C.11.2.1.2.1
        // (c = -600, w = 1500), read the canvas where that image pixel is drawn.
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const v = window.__ecViewer;
              const r = await fetch('/api/instances/' + v.drawnUid + '/pixels');
              const rows = +r.headers.get('X-Rows'), cols = +r.headers.get('X-Columns');
              const hu = new Int16Array(await r.arrayBuffer());
              const c = -600, w = 1500;
              const voi = x => x <= c - 0.5 - (w - 1) / 2 ? 0 : x > c - 0.5 + (w - 1) / 2 ? 255 : ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
              const canvas = document.querySelector('[data-testid=viewer-canvas]');
              const ctx = canvas.getContext('2d');
              const out = [];
              for (let y = 8; y < rows; y += 23) for (let x = 5; x < cols; x += 19) {
                const p = v.imageToCanvas(x + 0.5, y + 0.5);
                const d = ctx.getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data;
                out.push({ x, y, hu: hu[y * cols + x], expected: voi(hu[y * cols + x]), r: d[0], g: d[1], b: d[2] });
              }
              return { rows, cols, scale: v.scale, samples: out };
            }
            """);
        var samples = result.GetProperty("samples").EnumerateArray().ToList();
        Assert.That(result.GetProperty("scale").GetDouble(), Is.GreaterThan(1.5), "each image pixel covers several canvas pixels");
        Assert.That(samples, Has.Count.GreaterThan(100));
        var midRange = 0;
        foreach (var s in samples)
        {
            double expected = s.GetProperty("expected").GetDouble();
            int r = s.GetProperty("r").GetInt32();
            Assert.That(r, Is.EqualTo(expected).Within(1.0), $"pixel ({s.GetProperty("x")},{s.GetProperty("y")}) HU {s.GetProperty("hu")}");
            Assert.That(s.GetProperty("g").GetInt32(), Is.EqualTo(r));
            if (expected is > 5 and < 250) midRange++;
        }
        Assert.That(midRange, Is.GreaterThan(10), "enough samples fall inside the window to make the comparison meaningful");

        // Invert flips every value.
        await page.GetByTestId("invert").ClickAsync();
        var inverted = await page.EvaluateAsync<int[]>("""
            () => { const v = window.__ecViewer, p = v.imageToCanvas(5.5, 8.5);
                    return Array.from(document.querySelector('[data-testid=viewer-canvas]').getContext('2d').getImageData(Math.floor(p.x), Math.floor(p.y), 1, 1).data); }
            """);
        Assert.That(inverted[0], Is.EqualTo(255 - samples[0].GetProperty("expected").GetDouble()).Within(1.0));
        await Steps.ShotAsync(page, "inverted");
    }

    [Test]
    public async Task Distance_measurement_matches_pixel_spacing_within_1_mm_under_zoom_and_rotation()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        var spacing = DicomFile.OpenHeader(SyntheticSeries.Files(_chest)[0]).Dataset.GetString(DicomTags.PixelSpacing).Split('\\')
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var canvas = page.GetByTestId("viewer-canvas");
        foreach (var (label, setup) in new (string, Func<Task>)[]
                 {
                     ("fit", () => Task.CompletedTask),
                     ("zoomed and rotated", async () => { await page.GetByTestId("zoom-in").ClickAsync(); await page.GetByTestId("rotate-right").ClickAsync(); }),
                 })
        {
            await setup();
            await page.GetByTestId("tool-measure").ClickAsync();
            // Two clicks 150 CSS pixels apart along the screen's x axis; the image scale is the fit scale (canvas / image
            // size, rows and columns swapped when rotated) times the zoom.
            var box = (await canvas.BoundingBoxAsync())!;
            var view = await page.EvaluateAsync<JsonElement>("() => ({ zoom: window.__ecViewer.view.zoom, rotation: window.__ecViewer.view.rotation, cw: document.querySelector('[data-testid=viewer-canvas]').width, ch: document.querySelector('[data-testid=viewer-canvas]').height })");
            int rows = 256, cols = 256;
            bool rotated = view.GetProperty("rotation").GetInt32() % 180 != 0;
            double fit = Math.Min(view.GetProperty("cw").GetDouble() / (rotated ? rows : cols), view.GetProperty("ch").GetDouble() / (rotated ? cols : rows));
            double scale = fit * view.GetProperty("zoom").GetDouble();
            double cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;
            const double screen = 150;
            await page.Mouse.ClickAsync((float)(cx - screen / 2), (float)cy);
            await page.Mouse.ClickAsync((float)(cx + screen / 2), (float)cy);
            // Screen x is image y when rotated by 90°.
            double expected = screen / scale * (rotated ? spacing[0] : spacing[1]);
            var text = await page.GetByTestId("measure-value").InnerTextAsync();
            var m = Regex.Match(text, @"([\d.]+) mm");
            Assert.That(m.Success, Is.True, text);
            Assert.That(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Is.EqualTo(expected).Within(1.0), label);
            await Steps.ShotAsync(page, "measured " + label);
            await page.GetByTestId("clear-measure").ClickAsync();
        }
    }

    [Test]
    public async Task Doctor_correction_appears_as_a_verified_SR_for_findscu()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        await Expect(page.GetByTestId("ai-image-result")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("ai-body-part")).ToContainTextAsync("%");
        await Expect(page.GetByTestId("ai-disclaimer")).ToHaveTextAsync("AI output — not a diagnosis");
        await page.GetByTestId("ai-jump").ClickAsync();
        await Steps.ShotAsync(page, "most suspicious slice");
        await Expect(page.GetByTestId("correction-form")).ToBeVisibleAsync();
        await page.GetByTestId("correction-field").SelectOptionAsync("body-part");
        await page.GetByTestId("correction-label").SelectOptionAsync("abdomen");
        await page.GetByTestId("correction-comment").FillAsync("Liver dome visible; browser test");
        await page.GetByTestId("correction-submit").ClickAsync();
        await Expect(page.GetByTestId("correction-message")).ToContainTextAsync("Saved");
        await Expect(page.GetByTestId("correction-item")).ToContainTextAsync("abdomen");
        await Steps.ShotAsync(page, "correction saved");

        var images = await _node.FindAsync("QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + _study, "Modality=SR", "SOPInstanceUID", "VerificationFlag");
        Assert.That(images, Does.Contain("(0040,a493) CS [VERIFIED"), images);
        var series = await _node.FindAsync("QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + _study, "SeriesNumber", "SeriesDescription");
        Assert.That(series, Does.Contain("(0020,0011) IS [9003"), "the review series: " + series);

        // The worklist marks the study as corrected.
        await page.GotoAsync("/#/");
        await Expect(page.Locator($"[data-testid=worklist-row][data-study='{_study}'] [data-testid=cell-corrected]")).ToContainTextAsync("corrected");
    }

    [Test]
    public async Task Technologist_sees_no_correction_form_and_a_direct_post_gets_403()
    {
        var (context, page) = await SignedInAsync("tech");
        await using var _ = context;
        await OpenStudyAsync(page);
        await Expect(page.GetByTestId("ai-panel")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("correction-form")).ToBeHiddenAsync();
        await Steps.ShotAsync(page, "technologist viewer");
        var status = await page.EvaluateAsync<int>("""
            async () => {
              const t = (await (await fetch('/api/antiforgery')).json()).token;
              const r = await fetch('/api/instances/' + window.__ecViewer.drawnUid + '/corrections', {
                method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': t },
                body: JSON.stringify({ field: 'body-part', newLabel: 'head', comment: 'not allowed' }) });
              return r.status;
            }
            """);
        Assert.That(status, Is.EqualTo(403));
        await page.GotoAsync("/#/tools");
        await Expect(page.GetByTestId("upload-form")).ToBeVisibleAsync();
        // Newer server features are shown exactly when the server has them (feature detection by 404).
        foreach (var (api, section) in new[] { ("/api/queue", "queue-section"), ("/api/associations", "associations-section") })
        {
            var code = await page.EvaluateAsync<int>("async u => (await fetch(u)).status", api);
            if (code == 404) await Expect(page.GetByTestId(section)).ToBeHiddenAsync();
            else await Expect(page.GetByTestId(section)).ToBeVisibleAsync();
        }
        await Steps.ShotAsync(page, "technologist tools");
    }

    [Test]
    public async Task Signed_out_every_page_leads_to_the_sign_in_page_and_the_API_answers_401()
    {
        await using var context = await _node.NewContextAsync();
        var page = await context.NewPageAsync();
        foreach (var url in new[] { "/", "/#/study/" + _study, "/study/" + _study, "/#/admin", "/tools" })
        {
            await page.GotoAsync(url);
            Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"), url);
            await Expect(page.GetByTestId("login-form")).ToBeVisibleAsync();
            Assert.That(await page.Locator("[data-testid=viewer], [data-testid=worklist], #page").CountAsync(), Is.EqualTo(0), url);
        }
        await Steps.ShotAsync(page, "sign-in page");
        var api = await page.GotoAsync("/api/worklist");
        Assert.That(api!.Status, Is.EqualTo(401));
        var pixels = await context.APIRequest.GetAsync($"/api/series/{_study}/instances");
        Assert.That(pixels.Status, Is.EqualTo(401));
        // Wrong password: the form says so and stays on the sign-in page.
        await page.GotoAsync("/login");
        await page.GetByTestId("login-name").FillAsync("doctor");
        await page.GetByTestId("login-password").FillAsync("wrong-password");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("Sign-in failed");
        await Steps.ShotAsync(page, "wrong password");
    }

    [Test]
    public async Task One_time_password_forces_a_change_before_the_worklist_and_sign_out_ends_the_session()
    {
        var (context, page) = await SignedInAsync("admin2");
        await using var _ = context;
        var timeline = new PageTimeline(page);
        await page.GotoAsync("/#/admin");
        await page.GetByTestId("user-name").FillAsync("newdoc");
        await page.GetByTestId("user-display-name").FillAsync("New Doctor");
        await page.GetByTestId("user-role").SelectOptionAsync("doctor");
        await page.GetByTestId("user-add").ClickAsync();
        var otp = await page.GetByTestId("one-time-password-value").InnerTextAsync();
        Assert.That(otp, Has.Length.GreaterThanOrEqualTo(8));
        await Expect(page.GetByTestId("audit-row").First).ToBeVisibleAsync();
        await Steps.ShotAsync(page, "admin created user");
        await timeline.StepAsync("sign out", async () =>
        {
            await page.GetByTestId("sign-out").ClickAsync();
            await BrowserNode.ExpectPathAsync(page, "/login");
        });

        await BrowserNode.SignInAsync(page, "newdoc", otp);
        await Expect(page.GetByTestId("password-form")).ToBeVisibleAsync();
        await Steps.ShotAsync(page, "forced password change");
        await page.GetByTestId("password-current").FillAsync(otp);
        await page.GetByTestId("password-new").FillAsync("Another-good-pass-9");
        await page.GetByTestId("password-again").FillAsync("Another-good-pass-9");
        await page.GetByTestId("password-submit").ClickAsync();
        await Expect(page.GetByTestId("worklist")).ToBeVisibleAsync();
        await Steps.ShotAsync(page, "worklist after change");
        await timeline.StepAsync("sign out", async () =>
        {
            await page.GetByTestId("sign-out").ClickAsync();
            await BrowserNode.ExpectPathAsync(page, "/login");
        });
        await page.GotoAsync("/");
        Assert.That(new Uri(page.Url).AbsolutePath, Is.EqualTo("/login"));
    }

    [Test]
    public async Task Uploaded_JPEG_2000_image_shows_the_no_decoder_message_in_the_viewport()
    {
        // pydicom's JPEG 2000 lossless MR: the upload stores it; the toolkit has no JPEG 2000 decoder.
        const string j2k = "/usr/lib/python3/dist-packages/pydicom/data/test_files/MR_small_jp2klossless.dcm";
        if (!File.Exists(j2k)) Assert.Fail("pydicom's test files are missing; install the Debian package python3-pydicom.");
        var study = DicomFile.OpenHeader(j2k).Dataset.GetString(DicomTags.StudyInstanceUID);
        var (context, page) = await SignedInAsync("tech");
        await using var _ = context;
        await page.GetByTestId("nav-tools").ClickAsync();
        await page.GetByTestId("upload-files").SetInputFilesAsync(j2k);
        await page.GetByTestId("upload-submit").ClickAsync();
        var result = page.GetByTestId("upload-result");
        await Expect(result).ToHaveAttributeAsync("data-status", "201");
        await Expect(result).ToContainTextAsync("MR_small_jp2klossless.dcm");
        await Steps.ShotAsync(page, "uploaded");

        await page.GotoAsync("/#/study/" + study);
        var message = page.GetByTestId("viewport-message");
        await Expect(message).ToBeVisibleAsync();
        await Expect(message).ToContainTextAsync("no decoder for JPEG 2000");
        await Steps.ShotAsync(page, "no decoder message");

        // The attribute browser still shows every attribute, with a working search.
        await page.GetByTestId("attributes-toggle").ClickAsync();
        await Expect(page.Locator("[data-testid=attribute-row][data-tag='(0002,0010)']")).ToContainTextAsync("1.2.840.10008.1.2.4.90");
        await page.GetByTestId("attributes-search").FillAsync("PatientName");
        await Expect(page.Locator("[data-testid=attributes-tree] [data-testid=attribute-row]")).ToHaveCountAsync(1);
        await Steps.ShotAsync(page, "attribute search");
    }

    [Test]
    public async Task Attribute_browser_lists_nested_sequences_and_filters_by_keyword()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        await page.Keyboard.PressAsync("a");
        var rows = page.Locator("[data-testid=attributes-tree] [data-testid=attribute-row]");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.That(await rows.CountAsync(), Is.GreaterThan(30));
        await page.GetByTestId("attributes-search").FillAsync("PixelSpacing");
        await Expect(page.Locator("[data-testid=attribute-row][data-tag='(0028,0030)']")).ToBeVisibleAsync();
        var spacing = DicomFile.OpenHeader(SyntheticSeries.Files(_chest)[0]).Dataset.GetString(DicomTags.PixelSpacing);
        await Expect(page.Locator("[data-testid=attribute-row][data-tag='(0028,0030)']")).ToContainTextAsync(spacing.Split('\\')[0]);
        await Steps.ShotAsync(page, "attribute search");
    }

    private static Task<string> CanvasHashAsync(IPage page) => page.EvaluateAsync<string>("""
        () => { const c = document.querySelector('[data-testid=viewer-canvas]');
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let h = 0; for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i]) | 0; return String(h); }
        """);
}
