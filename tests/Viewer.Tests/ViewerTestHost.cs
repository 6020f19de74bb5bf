using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Viewer.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Tests;

/// <summary>
/// The viewer hosted in-process on a TestServer over a temporary SQLite index and file store, holding one synthetic
/// chest CT series (three slices) whose first slice has an AI result and per-image AI SR.
/// </summary>
internal sealed partial class ViewerTestHost : IAsyncDisposable
{
    public const string Password = "correct horse battery";
    public const long UploadLimit = 1024 * 1024;

    public required string Root { get; init; }
    public required WebApplication App { get; init; }
    public required SqlArchiveIndex Index { get; init; }
    public required FileStore Store { get; init; }
    public required ArchiveWriter Writer { get; init; }
    public required IReadOnlyList<DicomDataset> Slices { get; init; }
    public required string AiSrUid { get; init; }

    public string StudyUid => Slices[0].GetString(DicomTags.StudyInstanceUID);
    public string SeriesUid => Slices[0].GetString(DicomTags.SeriesInstanceUID);
    public string SliceUid(int i) => Slices[i].GetString(DicomTags.SOPInstanceUID);

    /// <summary><c>models/</c> at the repository root (found by walking up to EdgeCancer.sln).</summary>
    public static string ModelsRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln"))) return Path.Combine(dir.FullName, "models");
            throw new DirectoryNotFoundException("EdgeCancer.sln was not found above the test output folder.");
        }
    }

    /// <param name="withModels">Registers the repository's models (heatmaps); without, the viewer has none.</param>
    /// <param name="settings">More configuration (e.g. Viewer:ImageCacheMegabytes).</param>
    public static async Task<ViewerTestHost> StartAsync(IndexDialect dialect, bool seedUsers = true, bool withModels = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "edgecancer-viewer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = root });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Viewer:UploadMaxBytes"] = UploadLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Viewer:MaxFailedSignIns"] = "3",
            ["Viewer:Organization"] = "Test Hospital Radiology",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var s = builder.Services;
        s.AddSingleton(new FileStore(Options.Create(new FileStoreOptions { Root = Path.Combine(root, "dicom"), FreeSpaceWatermarkBytes = 0 })));
        var connection = dialect == IndexDialect.PostgreSql
            ? await (await ViewerTestRun.PostgresAsync()).CreateDatabaseAsync()
            : $"Data Source={Path.Combine(root, "index.db")}";
        s.AddSingleton(new SqlArchiveIndex(Options.Create(new IndexOptions { Dialect = dialect, ConnectionString = connection })));
        s.AddSingleton<IArchiveIndex>(sp => sp.GetRequiredService<SqlArchiveIndex>());
        s.AddSingleton(new ArchiveServiceOptions { EnqueueWork = _ => false });
        s.AddEdgeCancerViewer(builder.Configuration);
        if (withModels) s.AddSingleton<EdgeCancer.Inference.Models.IModelProvider>(_ => new EdgeCancer.Inference.Models.ActiveModelProvider(new EdgeCancer.Inference.Models.ModelRegistry(ModelsRoot)));
        var app = builder.Build();
        app.MapEdgeCancerViewer();
        var index = app.Services.GetRequiredService<SqlArchiveIndex>();
        await index.InitializeAsync(CancellationToken.None);
        await app.StartAsync();

        var writer = app.Services.GetRequiredService<ArchiveWriter>();
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 7, Slices = 3, Body = BodyRegionChoice.Chest, Lesions = LesionMode.None }, 0);
        var slices = new List<DicomDataset>();
        for (int i = 0; i < 3; i++)
        {
            var ds = CtSeriesWriter.CreateSliceDataset(phantom, i);
            var (outcome, _, _) = await writer.StoreAsync(new DicomFile(ds), enqueueWork: false);
            Assert.That(outcome.Status.IsSuccess, Is.True, outcome.ErrorComment);
            slices.Add(ds);
        }
        // The AI's per-image result and SR for slice 1, as the inference pipeline writes them.
        var analysis = new ImageAnalysis(AnalysisStatus.Done, null, "chest", 0.97, 0.97, 0.83, 0.5,
            [new ModelIdentity("body-part", "1.0.0", new string('a', 64)), new ModelIdentity("chest-malignancy", "1.2.0", new string('b', 64))]);
        var srUid = DicomUid.Generate().Value;
        var sr = new SrReportBuilder(new InferenceOptions()).BuildImageReport(slices[0], analysis, srUid, DicomUid.Generate().Value, 9001);
        var (srOutcome, _, _) = await writer.StoreAsync(new DicomFile(sr), enqueueWork: false);
        Assert.That(srOutcome.Status.IsSuccess, Is.True, srOutcome.ErrorComment);
        await app.Services.GetRequiredService<AiResultStore>().SaveAsync(slices[0].GetString(DicomTags.SOPInstanceUID), slices[0].GetString(DicomTags.StudyInstanceUID),
            slices[0].GetString(DicomTags.SeriesInstanceUID), 1, analysis, srUid, CancellationToken.None);

        var users = app.Services.GetRequiredService<UserStore>();
        foreach (var (name, display, role) in !seedUsers ? [] : new[] { ("drjane", "Jane Doe", ViewerRoles.Doctor), ("tech", "Tom Tech", ViewerRoles.Technologist), ("boss", "Ada Admin", ViewerRoles.Admin) })
        {
            var (user, _, error) = await users.CreateAsync(name, display, role, Password, CancellationToken.None);
            Assert.That(user, Is.Not.Null, error);
        }
        return new ViewerTestHost
        {
            Root = root, App = app, Index = index, Store = app.Services.GetRequiredService<FileStore>(), Writer = writer, Slices = slices, AiSrUid = srUid,
        };
    }

    /// <summary>A client that keeps cookies, like a browser (TestServer's handler has no cookie container).</summary>
    public HttpClient Client()
    {
        var client = new HttpClient(new CookieHandler(App.GetTestServer().CreateHandler())) { BaseAddress = new Uri("http://localhost/") };
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    /// <summary>Posts the sign-in form (with the page's anti-forgery field) and returns the response.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string name, string password)
    {
        var page = await client.GetStringAsync("/login");
        var token = WebUtility.HtmlDecode(FormToken().Match(page).Groups[1].Value);
        Assert.That(token, Is.Not.Empty, "the sign-in page carries an anti-forgery field");
        var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["password"] = password, ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await client.SendAsync(request);
    }

    /// <summary>A signed-in client with the X-CSRF-TOKEN header set (unless <paramref name="withCsrf"/> is false).</summary>
    public async Task<HttpClient> SignedInAsync(string name, bool withCsrf = true)
    {
        var client = Client();
        var rsp = await PostSignInAsync(client, name, Password);
        Assert.That(rsp.StatusCode, Is.EqualTo(HttpStatusCode.OK), await rsp.Content.ReadAsStringAsync());
        if (withCsrf)
        {
            var token = await client.GetFromJsonAsync<JsonElement>("/api/antiforgery");
            client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", token.GetProperty("token").GetString());
        }
        return client;
    }

    public async Task<long> CountInstancesAsync()
    {
        await using var c = await Index.OpenReadConnectionAsync(CancellationToken.None);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM instance";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<string> StoredFiles() =>
        Directory.Exists(Store.Root) ? Directory.EnumerateFiles(Store.Root, "*", SearchOption.AllDirectories).Order().ToList() : [];

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        await Index.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        try { Directory.Delete(Root, true); } catch (IOException) { }
    }

    private sealed class CookieHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private readonly CookieContainer _cookies = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var header = _cookies.GetCookieHeader(request.RequestUri!);
            if (header.Length > 0) request.Headers.Add("Cookie", header);
            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var values))
                foreach (var v in values) _cookies.SetCookies(request.RequestUri!, v);
            return response;
        }
    }
}

/// <summary>Starts the throwaway PostgreSQL server (shared with Scp.Tests' PostgresServer) once for the run and stops it at the end.</summary>
[SetUpFixture]
public sealed class ViewerTestRun
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EdgeCancer.Scp.Tests.Archive.PostgresServer? _server;

    internal static async Task<EdgeCancer.Scp.Tests.Archive.PostgresServer> PostgresAsync()
    {
        await Gate.WaitAsync();
        try { return _server ??= await EdgeCancer.Scp.Tests.Archive.PostgresServer.StartAsync(); }
        finally { Gate.Release(); }
    }

    [OneTimeTearDown]
    public async Task StopPostgres()
    {
        if (_server is not null) await _server.StopAsync();
        _server = null;
    }
}
