using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Host.Serve;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Scp.Services;
using EdgeCancer.Viewer.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

// Viewer benchmark (issue 5): on loopback, a node with the scp and viewer roles holds a synthetic chest CT series
// (sent by DCMTK storescu); Debian's chromium (Playwright) opens it in the viewer and scrolls through it.
//   1. time from opening the study (hash change on the signed-in worklist) to the first image drawn on the canvas,
//      with a fresh browser context (empty HTTP cache) per run; median of RUNS runs (target <= 300 ms);
//   2. scrolling: ArrowDown through every slice right after opening, each key waiting until that slice is drawn
//      (slices drawn per second, target >= 20); then back up through the now cached slices.
//
//   viewer-bench [--slices 300] [--matrix 512] [--runs 5] [--work DIR] [--trace DIR] [--no-scroll]
//
// --trace DIR writes a Chrome trace (chrome://tracing, Perfetto) of each opening to DIR/open-N.json, with the
// user-timing marks "open" (hash change) and "drawn" (first slice on the canvas).

var culture = CultureInfo.InvariantCulture;
int slices = Arg("--slices", 300), matrix = Arg("--matrix", 512), runs = Arg("--runs", 5);
var work = ArgS("--work", Path.Combine(Path.GetTempPath(), "edgecancer-vbench"));
var traceDir = ArgS("--trace", "");
if (traceDir != "") Directory.CreateDirectory(traceDir);
const string chromium = "/usr/bin/chromium";
if (!File.Exists(chromium)) return Fail("chromium is missing (apt-get install chromium)");

// 1. The series (generated once per size, reused).
var series = Path.Combine(work, $"chest-{slices}-{matrix}");
if (!File.Exists(Path.Combine(series, CtPhantomGenerator.IndexFileName)))
{
    Console.WriteLine($"generating {slices} slices {matrix}x{matrix} into {series}");
    if (Directory.Exists(series)) Directory.Delete(series, true);
    await CtPhantomGenerator.RunAsync(new CtPhantomOptions { Patients = 1, Slices = slices, Matrix = matrix, Seed = 7, Body = BodyRegionChoice.Chest }, series);
}
var files = Directory.GetFiles(series, "*.dcm", SearchOption.AllDirectories);
var study = DicomFile.OpenHeader(files[0]).Dataset.GetString(DicomTags.StudyInstanceUID);

// 2. The node: scp + viewer (no inference worker: the AI panel stays empty, which does not change the timings).
var data = Directory.CreateTempSubdirectory("ec-vbench-").FullName;
int dicomPort = FreePort(), httpPort = FreePort();
using var host = NodeHostBuilder.Build(new ServeArguments(data, dicomPort, httpPort, "EDGECANCER", null, null, null, false, null) { Roles = "scp,viewer" },
    s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)));
await host.StartAsync();
await host.Services.GetRequiredService<DicomNodeService>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
const string password = "Bench-password-1";
await host.Services.GetRequiredService<UserStore>().CreateAsync("bench", "Bench", "doctor", password, CancellationToken.None);

var clock = Stopwatch.StartNew();
var psi = new ProcessStartInfo("storescu", ["-aec", "EDGECANCER", "+sd", "+r", "+sp", "*.dcm", "127.0.0.1", dicomPort.ToString(culture), series])
    { RedirectStandardOutput = true, RedirectStandardError = true };
psi.Environment["TCP_NODELAY"] = "1";
using (var p = Process.Start(psi)!)
{
    var err = p.StandardError.ReadToEndAsync();
    await p.StandardOutput.ReadToEndAsync();
    await p.WaitForExitAsync();
    if (p.ExitCode != 0) return Fail("storescu failed: " + await err);
}
Console.WriteLine($"stored {files.Length} slices with storescu in {clock.Elapsed.TotalSeconds:0.0} s");

// 3. The browser.
Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
var baseUrl = $"http://127.0.0.1:{httpPort}";

var firstImage = new List<double>();
double coldRate = 0, warmRate = 0;
for (int run = 0; run < runs; run++)
{
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl, ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
    var page = await context.NewPageAsync();
    page.SetDefaultTimeout(120_000);
    await page.GotoAsync("/login");
    await page.GetByTestId("login-name").FillAsync("bench");
    await page.GetByTestId("login-password").FillAsync(password);
    await page.GetByTestId("login-submit").ClickAsync();
    await page.GetByTestId("worklist-row").First.WaitForAsync();
    var trace = traceDir != "" ? await StartTrace(page) : null;
    // From the hash change to the frame after the first slice is drawn on the canvas.
    var timing = await page.EvaluateAsync<JsonElement>("""
        async uid => {
          performance.mark('open');
          const t0 = performance.now();
          location.hash = '#/study/' + uid;
          while (!(window.__ecViewer && window.__ecViewer.drawnUid)) await new Promise(r => requestAnimationFrame(r));
          const drawnAt = window.__ecViewer.lastDrawAt;
          performance.mark('drawn', { startTime: drawnAt });
          await new Promise(r => requestAnimationFrame(r));
          const ms = performance.now() - t0;
          // Where the time went, relative to the hash change: each request's start and end, then the draw.
          const steps = performance.getEntriesByType('resource').filter(e => e.startTime >= t0)
            .filter(e => /\/api\/(studies\/[^/]+\/series|studies\/[^/]+\/first\/pixels|series\/[^/]+\/instances|instances\/[^/]+\/pixels)/.test(e.name)).slice(0, 4)
            .map(e => { const p = new URL(e.name).pathname; return `${p.includes('/first/') ? 'first pixels' : p.split('/').at(-1)} ${Math.round(e.startTime - t0)}-${Math.round(e.responseEnd - t0)}`; });
          return { ms, steps: steps.join(', ') + `, drawn ${Math.round(drawnAt - t0)}, next frame ${Math.round(ms)} (ms after the hash change)` };
        }
        """, study);
    if (trace is not null) await trace(Path.Combine(traceDir, $"open-{run + 1}.json"));
    var ms = timing.GetProperty("ms").GetDouble();
    firstImage.Add(ms);
    Console.WriteLine("  " + timing.GetProperty("steps").GetString());
    Console.WriteLine($"run {run + 1}: first image after {ms:0} ms");
    if (run == 0 && !args.Contains("--no-scroll"))
    {
        // Scroll right away (prefetch only), then back through the cache.
        const string scroll = """
            async ([key, n]) => {
              const v = window.__ecViewer;
              const t0 = performance.now();
              for (let i = 0; i < n; i++) {
                const target = v.slice + (key === 'ArrowDown' ? 1 : -1);
                document.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
                while (v.drawnSlice !== target) await new Promise(r => setTimeout(r, 0));
              }
              await new Promise(r => requestAnimationFrame(r));
              return performance.now() - t0;
            }
            """;
        await page.WaitForFunctionAsync("() => window.__ecViewer.count > 0"); // the instance list is in
        int n = await page.EvaluateAsync<int>("() => window.__ecViewer.count") - 1;
        var down = await page.EvaluateAsync<double>(scroll, new object[] { "ArrowDown", n });
        var up = await page.EvaluateAsync<double>(scroll, new object[] { "ArrowUp", n });
        // Where the time goes: the server's answers for pixels as the browser saw them (request start to last byte).
        var pixels = await page.EvaluateAsync<double[]>("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/pixels')).map(e => e.responseEnd - e.requestStart)");
        Array.Sort(pixels);
        if (pixels.Length > 0)
            Console.WriteLine($"pixels requests: {pixels.Length}, request to last byte median {pixels[pixels.Length / 2]:0} ms, p90 {pixels[pixels.Length * 9 / 10]:0} ms");
        // The server alone: 20 slices fetched one after another (no browser cache), and the client's draw time.
        var serial = await page.EvaluateAsync<double[]>("""
            async () => {
              const series = decodeURIComponent(location.hash.split('/')[3]);
              const list = (await (await fetch('/api/series/' + series + '/instances')).json()).instances;
              const out = [];
              for (let i = 0; i < 20; i++) {
                const t = performance.now();
                await (await fetch('/api/instances/' + list[Math.floor(i * list.length / 20)].sopInstanceUid + '/pixels', { cache: 'no-store' })).arrayBuffer();
                out.push(performance.now() - t);
              }
              return out;
            }
            """);
        Array.Sort(serial);
        Console.WriteLine($"pixels one at a time (20 slices): median {serial[10]:0} ms, min {serial[0]:0} ms, max {serial[^1]:0} ms");
        coldRate = n / (down / 1000);
        warmRate = n / (up / 1000);
        Console.WriteLine($"scrolled {n} slices down in {down:0} ms (first pass, prefetching) and back up in {up:0} ms (cached)");
    }
}
firstImage.Sort();
double median = firstImage[firstImage.Count / 2];
Console.WriteLine();
Console.WriteLine($"series: {files.Length} slices {matrix}x{matrix}, Int16 HU over /api/instances/{{uid}}/pixels, loopback, chromium headless");
Console.WriteLine($"first image drawn:  median {median:0} ms over {runs} fresh contexts (min {firstImage[0]:0}, max {firstImage[^1]:0}); target <= 300 ms: {(median <= 300 ? "PASS" : "MISS")}");
if (args.Contains("--no-scroll")) Console.WriteLine("scrolling:          not measured (--no-scroll)");
else
{
    Console.WriteLine($"scrolling:          {coldRate:0.0} slices/s drawn on the first pass; target >= 20: {(coldRate >= 20 ? "PASS" : "MISS")}");
    Console.WriteLine($"scrolling (cached): {warmRate:0.0} slices/s drawn");
}

await host.StopAsync();
try { Directory.Delete(data, true); } catch (IOException) { }
return 0;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, culture) : fallback;
string ArgS(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
// Chrome tracing over CDP (the main-thread work of one opening); the returned function stops it and writes the file.
static async Task<Func<string, Task>> StartTrace(IPage page)
{
    var cdp = await page.Context.NewCDPSessionAsync(page);
    var events = new List<string>();
    var complete = new TaskCompletionSource();
    cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
    {
        if (e is { } v) lock (events) foreach (var x in v.GetProperty("value").EnumerateArray()) events.Add(x.GetRawText());
    };
    cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
    await cdp.SendAsync("Tracing.start", new Dictionary<string, object>
    {
        ["transferMode"] = "ReportEvents",
        ["traceConfig"] = new Dictionary<string, object>
        {
            ["includedCategories"] = new[] { "devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "v8.execute", "v8", "blink",
                "loading", "disabled-by-default-v8.cpu_profiler", "toplevel", "disabled-by-default-devtools.timeline.frame", "cc", "gpu", "viz" },
        },
    });
    return async path =>
    {
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        lock (events) File.WriteAllText(path, "{\"traceEvents\":[" + string.Join(",\n", events) + "]}");
        await cdp.DetachAsync();
    };
}
static int Fail(string message) { Console.Error.WriteLine("viewer-bench: " + message); return 2; }
static int FreePort()
{
    var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    int port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}
