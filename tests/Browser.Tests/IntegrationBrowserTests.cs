using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Interop.Tests;
using EdgeCancer.Interop.Tests.Archive;
using EdgeCancer.Scp.Index;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace EdgeCancer.Browser.Tests;

/// <summary>
/// The front-end against the server's newer endpoints: the event stream, heatmaps, study export, the work queue,
/// the association log, and C-ECHO of a remote AE (DCMTK storescp started by the test).
/// </summary>
public sealed partial class ViewerBrowserTests
{
    [Test]
    public async Task Worklist_update_arrives_through_the_event_stream_not_the_polling_fallback()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await Expect(page.GetByTestId("live-status")).ToHaveTextAsync("live");
        Assert.That(await page.EvaluateAsync<string>("() => window.__ecWorklist.mode"), Is.EqualTo("sse"));
        await Steps.ShotAsync(page, "live");
        var lung = SyntheticSeries.SeriesFolders(await SyntheticSeries.GetAsync(1, 2, 128, seed: 53, body: "head"))[0];
        var study = DicomFile.OpenHeader(SyntheticSeries.Files(lung)[0]).Dataset.GetString(DicomTags.StudyInstanceUID);
        var clock = Stopwatch.StartNew();
        await _node.SendAsync(lung);
        // Polling would take up to 5 s and only starts when the stream is closed; the event stream is polled by the node every 1 s.
        await Expect(page.Locator($"[data-testid=worklist-row][data-study='{study}']")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var state = await page.EvaluateAsync<JsonElement>("() => ({ ...window.__ecWorklist })");
        TestContext.Out.WriteLine($"row visible {clock.ElapsedMilliseconds} ms after storescu ended; state {state}");
        Assert.Multiple(() =>
        {
            Assert.That(state.GetProperty("mode").GetString(), Is.EqualTo("sse"), "still on the event stream");
            Assert.That(state.GetProperty("pollReloads").GetInt32(), Is.Zero, "no polling reloads");
            Assert.That(state.GetProperty("events").GetInt32(), Is.GreaterThan(0), "worklist events received");
            Assert.That(state.GetProperty("eventReloads").GetInt32(), Is.GreaterThan(0), "reloads caused by events");
        });
        await Steps.ShotAsync(page, "new study through the event stream");
    }

    [Test]
    public async Task Heatmap_overlay_of_the_most_suspicious_chest_slice_draws_coloured_pixels_labelled_as_AI_output()
    {
        var (context, page) = await SignedInAsync("doctor");
        await using var _ = context;
        await OpenStudyAsync(page);
        await Expect(page.GetByTestId("heatmap-controls")).ToBeVisibleAsync();
        await page.GetByTestId("ai-jump").ClickAsync();
        var uid = await page.EvaluateAsync<string>("async () => { const v = window.__ecViewer; while (v.drawnSlice !== v.slice) await new Promise(r => setTimeout(r, 50)); return v.drawnUid; }");
        var ai = await page.EvaluateAsync<JsonElement>("async u => (await (await fetch('/api/instances/' + u + '/ai')).json())", uid);
        var result = ai.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("heatmapUrl").ValueKind == JsonValueKind.String);
        Assert.That(result.GetProperty("malignancyProbability").GetDouble(), Is.GreaterThanOrEqualTo(0.5), "the most suspicious slice is above the model's threshold (0.50)");
        Assert.That(await ColouredCanvasPixelsAsync(page), Is.Zero, "a CT slice alone is grey");
        await Expect(page.GetByTestId("heatmap-label")).ToBeHiddenAsync();
        await Steps.ShotAsync(page, "most suspicious slice");

        await page.GetByTestId("heatmap-toggle").CheckAsync();
        await Expect(page.GetByTestId("heatmap-label")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("heatmap-label")).ToHaveTextAsync("AI output — not a diagnosis");
        // Computed on the first request: tens of seconds on a loaded 2-core machine.
        await page.WaitForFunctionAsync("() => ['shown', 'failed', 'none'].includes(window.__ecViewer.heatmap.state)", null, new() { Timeout = 300_000 });
        Assert.That(await page.EvaluateAsync<string>("() => window.__ecViewer.heatmap.state"), Is.EqualTo("shown"));
        // The PNG has non-transparent pixels, and the canvas shows colour where it had only grey.
        var opaque = await page.EvaluateAsync<int>("""
            async u => {
              const b = await createImageBitmap(await (await fetch(u)).blob());
              const c = new OffscreenCanvas(b.width, b.height), x = c.getContext('2d');
              x.drawImage(b, 0, 0);
              const d = x.getImageData(0, 0, b.width, b.height).data;
              let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
              return n;
            }
            """, result.GetProperty("heatmapUrl").GetString());
        Assert.That(opaque, Is.GreaterThan(0), "heatmap.png has non-transparent pixels");
        var coloured = await ColouredCanvasPixelsAsync(page);
        Assert.That(coloured, Is.GreaterThan(100), "overlay pixels drawn on the canvas");
        await Steps.ShotAsync(page, "heatmap overlay");

        await page.GetByTestId("heatmap-toggle").UncheckAsync();
        await Expect(page.GetByTestId("heatmap-label")).ToBeHiddenAsync();
        await page.WaitForFunctionAsync("() => window.__ecViewer.heatmap.state === 'off'");
        await Steps.ShotAsync(page, "overlay off");
    }

    private static Task<int> ColouredCanvasPixelsAsync(IPage page) => page.EvaluateAsync<int>("""
        async () => {
          await new Promise(r => requestAnimationFrame(() => r()));
          const c = document.querySelector('[data-testid=viewer-canvas]');
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let n = 0; for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 1]) > 8 || Math.abs(d[i + 1] - d[i + 2]) > 8) n++;
          return n;
        }
        """);

    [Test]
    public async Task Export_downloads_a_zip_with_every_file_of_the_study()
    {
        var (context, page) = await SignedInAsync("tech");
        await using var _ = context;
        await page.GotoAsync("/#/tools");
        var link = page.GetByTestId("export-link");
        await Expect(link).ToBeVisibleAsync();
        await page.GetByTestId("send-study").SelectOptionAsync(_study);
        await Steps.ShotAsync(page, "export");
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var zip = Path.Combine(_node.Data, "export-test.zip");
        await download.SaveAsAsync(zip);

        // The archive's count of the study's instances, as a DICOM peer sees it: findscu at STUDY level.
        var study = await _node.FindAsync("QueryRetrieveLevel=STUDY", "StudyInstanceUID=" + _study, "NumberOfStudyRelatedInstances");
        var counted = Regex.Match(study, @"\(0020,1208\) IS \[(\d+)");
        Assert.That(counted.Success, Is.True, study);
        int expected = int.Parse(counted.Groups[1].Value, CultureInfo.InvariantCulture);
        var found = await _node.FindAsync("QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + _study, "SOPInstanceUID");
        var sops = Regex.Matches(found, @"\(0008,0018\) UI \[([0-9.]+)\]").Select(m => m.Groups[1].Value).ToHashSet();
        using var archive = ZipFile.OpenRead(zip);
        var inZip = new HashSet<string>();
        int ct = 0;
        foreach (var entry in archive.Entries)
        {
            Assert.That(entry.FullName, Does.Match(@"^SE\d{6}/IM\d{6}$"), "PS3.10 File IDs");
            await using var s = entry.Open();
            var copy = new MemoryStream();
            await s.CopyToAsync(copy);
            copy.Position = 0;
            var file = DicomFile.Open(copy);
            Assert.That(file.Dataset.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(_study));
            inZip.Add(file.Dataset.GetString(DicomTags.SOPInstanceUID));
            if (file.Dataset.GetString(DicomTags.Modality) == "CT") ct++;
        }
        Assert.Multiple(() =>
        {
            Assert.That(archive.Entries, Has.Count.EqualTo(expected), "one entry per archived instance (Number of Study Related Instances)");
            Assert.That(inZip, Has.Count.EqualTo(expected), "distinct instances");
            Assert.That(sops, Is.Not.Empty, found);
            Assert.That(inZip, Is.SupersetOf(sops), "every instance findscu lists at IMAGE level is in the zip");
            Assert.That(ct, Is.EqualTo(_slices), "every CT slice sent");
        });
    }

    [Test]
    public async Task Technologist_tools_show_the_storescu_association_and_the_queue_counts()
    {
        var (context, page) = await SignedInAsync("tech");
        await using var _ = context;
        await page.GotoAsync("/#/tools");
        await Expect(page.GetByTestId("associations-section")).ToBeVisibleAsync();
        // The chest series: one storescu association with every slice stored.
        var row = page.Locator($"[data-testid=association-row][data-calling=STORESCU]").Filter(new() { Has = page.Locator($"[data-testid=assoc-stored]:text-is('{_slices}')") });
        await Expect(row.First).ToBeVisibleAsync();
        await Expect(row.First.GetByTestId("assoc-outcome")).ToHaveTextAsync("released");
        await Expect(row.First.GetByTestId("assoc-refused")).ToHaveTextAsync("0");
        await Steps.ShotAsync(page, "associations");

        await Expect(page.GetByTestId("queue-section")).ToBeVisibleAsync();
        var q = await page.EvaluateAsync<JsonElement>("async () => (await (await fetch('/api/queue')).json())");
        Assert.That(q.GetProperty("doneRecently").GetInt64(), Is.GreaterThanOrEqualTo(_slices), "the chest slices were analysed within the hour");
        foreach (var key in new[] { "pending", "inProgress", "failed", "doneRecently" })
            await Expect(page.GetByTestId("queue-" + key)).ToHaveTextAsync(new Regex(@"^\d+$"));
        // The page refreshes every 5 s; once the queue is quiet its figures equal the API's.
        var done = await page.GetByTestId("queue-doneRecently").InnerTextAsync();
        Assert.That(long.Parse(done, CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(_slices));
        await Steps.ShotAsync(page, "queue");
    }

    [Test]
    public async Task CEcho_of_a_remote_storescp_shows_success_and_of_a_closed_port_failure()
    {
        int port = BrowserNode.FreePort(), closed = BrowserNode.FreePort();
        using var scp = Process.Start(Peers.StartInfo("storescp", ["-aet", "REMOTESCP", "--output-directory", Directory.CreateTempSubdirectory("ec-storescp-").FullName, port.ToString(CultureInfo.InvariantCulture)]))!;
        try
        {
            var index = _node.Host.Services.GetRequiredService<IArchiveIndex>();
            await index.UpsertRemoteAeAsync(new RemoteAe("REMOTESCP", "127.0.0.1", port, AeOperations.All, "DCMTK storescp of the test"), CancellationToken.None);
            await index.UpsertRemoteAeAsync(new RemoteAe("NOBODY", "127.0.0.1", closed, AeOperations.All, "closed port"), CancellationToken.None);
            await Task.Delay(500); // storescp listening
            var (context, page) = await SignedInAsync("tech");
            await using var _ = context;
            await page.GotoAsync("/#/tools");
            await page.GetByTestId("remote-ae").SelectOptionAsync("REMOTESCP");
            await page.GetByTestId("echo").ClickAsync();
            var message = page.GetByTestId("network-message");
            await Expect(message).ToHaveAttributeAsync("data-outcome", "success");
            await Expect(message).ToContainTextAsync("C-ECHO REMOTESCP: success");
            await Steps.ShotAsync(page, "echo success");

            await page.GetByTestId("remote-ae").SelectOptionAsync("NOBODY");
            await page.GetByTestId("echo").ClickAsync();
            await Expect(message).ToHaveAttributeAsync("data-outcome", "failure");
            await Expect(message).ToContainTextAsync("C-ECHO failed");
            await Steps.ShotAsync(page, "echo failure");
            await index.DeleteRemoteAeAsync("NOBODY", CancellationToken.None);
            await index.DeleteRemoteAeAsync("REMOTESCP", CancellationToken.None);
        }
        finally
        {
            if (!scp.HasExited) scp.Kill();
        }
    }
}
