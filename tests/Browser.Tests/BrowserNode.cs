using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeCancer.Host.Serve;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Interop.Tests.Archive;
using EdgeCancer.Scp.Services;
using EdgeCancer.Viewer.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace EdgeCancer.Browser.Tests;

/// <summary>
/// The real node (scp, worker and viewer roles of <c>edgecancer serve</c>) on free loopback ports with a temporary
/// data folder and the repository's models, plus Debian's chromium driven by Playwright (nothing downloaded).
/// </summary>
public sealed class BrowserNode : IAsyncDisposable
{
    public const string AETitle = "EDGECANCER";
    public const string Password = "Correct-horse-7";

    private BrowserNode(IHost host, string data, int dicomPort, int httpPort, IPlaywright playwright, IBrowser browser)
    {
        Host = host; Data = data; DicomPort = dicomPort; HttpPort = httpPort; Playwright = playwright; Browser = browser;
    }

    public IHost Host { get; }
    public string Data { get; }
    public int DicomPort { get; }
    public int HttpPort { get; }
    public IPlaywright Playwright { get; }
    public IBrowser Browser { get; }
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln"))) return dir.FullName;
        throw new InvalidOperationException("EdgeCancer.sln not found above the test assembly");
    }

    /// <summary>Starts the node and creates the users doctor, tech and admin2 (password <see cref="Password"/>).</summary>
    public static async Task<BrowserNode> StartAsync(string name)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium)) Assert.Fail("chromium is not installed; install the Debian package chromium (scripts/test.sh does this).");
        var data = Directory.CreateTempSubdirectory($"ec-browser-{name}-").FullName;
        int dicomPort = FreePort(), httpPort = FreePort();
        var host = NodeHostBuilder.Build(new ServeArguments(data, dicomPort, httpPort, AETitle, null, null, null, false, null)
        {
            Roles = "scp,worker,viewer",
            Models = Path.Combine(RepoRoot(), "models"),
        }, s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
            s.PostConfigure<InferenceOptions>(o => o.QuietPeriodSeconds = 2);
        });
        await host.StartAsync();
        await host.Services.GetRequiredService<DicomNodeService>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        var users = host.Services.GetRequiredService<UserStore>();
        foreach (var (user, role, display) in new[] { ("doctor", "doctor", "Dr Ada Lovelace"), ("tech", "technologist", "Tom Tech"), ("admin2", "admin", "Alice Admin") })
        {
            var (created, _, error) = await users.CreateAsync(user, display, role, Password, CancellationToken.None);
            Assert.That(created, Is.Not.Null, error);
        }

        // Playwright's driver ships in the package; the browser is Debian's chromium, so nothing is downloaded.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
        return new BrowserNode(host, data, dicomPort, httpPort, playwright, browser);
    }

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>Sends a synthetic series with DCMTK storescu (TCP_NODELAY=1).</summary>
    public async Task SendAsync(string seriesFolder)
    {
        var sent = await Peers.RunAsync("storescu", "-aec", AETitle, "+sd", "+r", "+sp", "*.dcm", "127.0.0.1", DicomPort.ToString(CultureInfo.InvariantCulture), seriesFolder);
        Assert.That(sent.ExitCode, Is.EqualTo(0), sent.ToString());
    }

    public async Task<string> FindAsync(params string[] keys)
    {
        var args = new List<string> { "-S", "-aec", AETitle };
        foreach (var k in keys) { args.Add("-k"); args.Add(k); }
        args.Add("127.0.0.1"); args.Add(DicomPort.ToString(CultureInfo.InvariantCulture));
        var r = await Peers.RunAsync("findscu", args.ToArray());
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        return r.Output;
    }

    public async Task<IBrowserContext> NewContextAsync() =>
        await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, DeviceScaleFactor = 1 });

    /// <summary>Signs in through the sign-in form and waits for the worklist.</summary>
    public static async Task SignInAsync(IPage page, string user, string password = Password)
    {
        await page.GotoAsync("/login");
        await page.GetByTestId("login-name").FillAsync(user);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await ExpectPathAsync(page, "/");
    }

    /// <summary>
    /// Waits until the page's URL has the path <paramref name="path"/>. A polling assertion rather than
    /// <c>WaitForURLAsync</c>: that one waits for a navigation event, and on the loaded test machine the navigation
    /// (request, response, DOMContentLoaded, all in the page timeline) sometimes completed without the wait ever
    /// resolving.
    /// </summary>
    public static Task ExpectPathAsync(IPage page, string path) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("^https?://[^/]+" + System.Text.RegularExpressions.Regex.Escape(path) + "([?#].*)?$"),
            new PageAssertionsToHaveURLOptions { Timeout = 60_000 });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Host.StopAsync();
        Host.Dispose();
        try { Directory.Delete(Data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A screenshot per step, attached to the test result.</summary>
public static class Steps
{
    private static string Folder() => Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots", San(TestContext.CurrentContext.Test.Name));

    /// <summary>Removes the screenshots of an earlier run of the current test.</summary>
    public static void Reset()
    {
        if (Directory.Exists(Folder())) Directory.Delete(Folder(), true);
    }

    public static async Task ShotAsync(IPage page, string step)
    {
        var dir = Folder();
        Directory.CreateDirectory(dir);
        var file = Path.Combine(dir, $"{Directory.GetFiles(dir).Length + 1:00}-{San(step)}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        TestContext.AddTestAttachment(file, step);
    }

    private static string San(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_'));
}

/// <summary>
/// A timeline of a page's requests, responses, console messages and navigations, for failure messages: when a step
/// times out, the test says which request was still open and what the page last logged.
/// </summary>
public sealed class PageTimeline
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _events = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public PageTimeline(IPage page)
    {
        page.Request += (_, r) => Add($"-> {r.Method} {r.Url}");
        page.RequestFinished += (_, r) => Add($"<- {r.Method} {r.Url}");
        page.RequestFailed += (_, r) => Add($"!! {r.Method} {r.Url} {r.Failure}");
        page.Response += (_, r) => Add($"<= {r.Status} {r.Url}");
        page.Console += (_, m) => Add($"console.{m.Type}: {m.Text}");
        page.PageError += (_, e) => Add($"page error: {e}");
        page.FrameNavigated += (_, f) => { if (f.ParentFrame is null) Add($"navigated {f.Url}"); };
        page.DOMContentLoaded += (_, _) => Add("DOMContentLoaded");
    }

    private void Add(string s) => _events.Enqueue($"{_clock.ElapsedMilliseconds,7} ms {s}");

    /// <summary>Runs <paramref name="step"/>; on failure rethrows with the last events of the page.</summary>
    public async Task StepAsync(string what, Func<Task> step)
    {
        Add($"step: {what}");
        try { await step(); }
        catch (Exception e) when (e is TimeoutException or PlaywrightException or AssertionException)
        {
            throw new AssertionException($"{what} failed: {e.Message}\nPage timeline (last 60 events):\n{string.Join("\n", _events.TakeLast(60))}", e);
        }
    }
}
