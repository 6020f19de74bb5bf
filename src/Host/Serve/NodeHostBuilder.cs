using System.ComponentModel.DataAnnotations;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Viewer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Serve;

/// <summary>Settings given on the command line of <c>edgecancer serve</c>; each overrides config file and environment.</summary>
public sealed record ServeArguments(string? Data, int? DicomPort, int? HttpPort, string? AETitle, string? Db, string? ConfigFile, string? LogFormat, bool? FastMode, string? Bind)
{
    /// <summary>Roles to run, comma-separated: scp, worker, viewer (Node:Roles; default scp when neither is given).</summary>
    public string? Roles { get; init; }

    /// <summary>Models folder (Node:Models).</summary>
    public string? Models { get; init; }
}

/// <summary>Node-wide settings (config section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    /// <summary>Data folder (Node:Data): DICOM files under <c>dicom/</c>, the SQLite index as <c>index.db</c>.</summary>
    [Required(ErrorMessage = "Node:Data must name a folder.")]
    public string Data { get; set; } = "./data";

    /// <summary>Web port (Node:HttpPort), for the viewer role.</summary>
    [Range(1, 65535, ErrorMessage = "Node:HttpPort must be between 1 and 65535.")]
    public int HttpPort { get; set; } = 8080;

    /// <summary>Roles of this process (Node:Roles): any of scp, worker, viewer.</summary>
    public string Roles { get; set; } = "scp";

    /// <summary>Model registry folder (Node:Models) for the worker role.</summary>
    public string Models { get; set; } = "./models";

    /// <summary>Index database (Node:Db): <c>sqlite</c> (default, in the data folder), <c>sqlite:PATH</c>, or <c>postgres:CONNECTION-STRING</c>.</summary>
    public string Db { get; set; } = "sqlite";
}

/// <summary>
/// Composition root of <c>edgecancer serve</c>: configuration from defaults, an optional JSON file, environment
/// variables (<c>EDGECANCER_</c> prefix, <c>__</c> between levels) and the command line, in that order; typed
/// options validated at start with messages naming the setting.
/// </summary>
public static class NodeHostBuilder
{
    /// <summary>Builds the host for the given arguments.</summary>
    public static IHost Build(ServeArguments args, Action<IServiceCollection>? configure = null)
    {
        // Configuration first: the roles decide which kind of host is built.
        var config = new ConfigurationManager();
        var configFile = args.ConfigFile ?? (File.Exists("edgecancer.json") ? "edgecancer.json" : null);
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new OptionsValidationException("config", typeof(NodeOptions), [$"Config file '{configFile}' does not exist."]);
            config.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        config.AddEnvironmentVariables("EDGECANCER_");
        var overrides = new Dictionary<string, string?>();
        if (args.Data is not null) overrides["Node:Data"] = args.Data;
        if (args.HttpPort is not null) overrides["Node:HttpPort"] = args.HttpPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (args.Db is not null) overrides["Node:Db"] = args.Db;
        if (args.DicomPort is not null) overrides["Dicom:Port"] = args.DicomPort.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (args.AETitle is not null) overrides["Dicom:AETitle"] = args.AETitle;
        if (args.Bind is not null) overrides["Dicom:BindAddress"] = args.Bind;
        if (args.FastMode is not null) overrides["Storage:FastMode"] = args.FastMode.Value ? "true" : "false";
        if (args.Roles is not null) overrides["Node:Roles"] = args.Roles;
        if (args.Models is not null) overrides["Node:Models"] = args.Models;
        config.AddInMemoryCollection(overrides);

        var roles = NodeRoles.Parse(config["Node:Roles"] ?? "scp");
        IHostApplicationBuilder builder;
        WebApplicationBuilder? web = null;
        if (roles.Viewer)
        {
            web = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            web.Configuration.Sources.Clear();
            web.Configuration.AddConfiguration(config);
            var httpPort = config.GetValue<int?>("Node:HttpPort") ?? 8080;
            var bind = config["Dicom:BindAddress"] ?? "127.0.0.1";
            web.WebHost.UseUrls($"http://{(bind.Contains(':') ? "[" + bind + "]" : bind)}:{httpPort}");
            builder = web;
        }
        else
        {
            var generic = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
            generic.Configuration.AddConfiguration(config);
            builder = generic;
        }
        var configuration = builder.Configuration;

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        if (string.Equals(args.LogFormat ?? config["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "O"; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

        var s = builder.Services;
        s.AddSingleton(roles);
        s.AddHostedService<IndexInitializer>();
        s.AddOptions<NodeOptions>().Bind(config.GetSection("Node")).ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<DicomNodeOptions>().Bind(config.GetSection("Dicom")).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Dicom:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0.")
            .ValidateOnStart();
        s.AddOptions<FileStoreOptions>()
            .Configure<IOptions<NodeOptions>>((f, node) =>
            {
                f.Root = Path.Combine(node.Value.Data, "dicom");
                // Durable mode goes through the ingest journal in the process that receives (the scp role owns it).
                f.Journal = roles.Scp;
                f.JournalPath = Path.Combine(node.Value.Data, "journal", "ingest.journal");
            })
            .Bind(config.GetSection("Storage"))
            .Validate(f => f.FreeSpaceWatermarkBytes >= 0, "Storage:FreeSpaceWatermarkBytes must not be negative.")
            .Validate(f => f.JournalSizeBytes >= 16L << 20, "Storage:JournalSizeBytes must be at least 16 MiB (16777216).")
            .Validate(f => f.JournalCheckpointInterval > TimeSpan.Zero, "Storage:JournalCheckpointInterval must be positive, e.g. 00:00:01.")
            .ValidateOnStart();
        s.AddOptions<IndexOptions>()
            .Configure<IOptions<NodeOptions>>((i, node) => ConfigureIndex(i, node.Value))
            .Bind(config.GetSection("Index"))
            // Fast mode acknowledges before data is on disk, and the journal makes the instance durable before the index
            // commit: in both the commit need not sync (WAL keeps it consistent; the journal's checkpoint syncs it).
            .PostConfigure<IOptions<FileStoreOptions>>((i, storage) =>
            {
                bool deferred = storage.Value.FastMode || storage.Value.Journal;
                if (deferred && config["Index:SqliteSynchronous"] is null) i.SqliteSynchronous = "NORMAL";
                if (deferred && config["Index:AsynchronousCommit"] is null) i.AsynchronousCommit = true;
            })
            .ValidateOnStart();
        s.AddSingleton<FileSyncQueue>();
        s.AddHostedService<BackgroundFlusher>();
        s.AddSingleton(sp => new JournalHolder(JournalFactory.Open(sp.GetRequiredService<IOptions<FileStoreOptions>>(),
            sp.GetRequiredService<SqlArchiveIndex>().SyncAsync, sp.GetRequiredService<ILogger<WriteAheadJournal>>())));
        s.AddSingleton(sp => new FileStore(sp.GetRequiredService<IOptions<FileStoreOptions>>(), sp.GetRequiredService<ILogger<FileStore>>(),
            sp.GetRequiredService<FileSyncQueue>(), sp.GetRequiredService<JournalHolder>().Journal));
        // Registered before the DICOM service, so it stops after it: the last checkpoint follows the last store.
        s.AddHostedService<JournalCheckpointer>();
        s.AddSingleton<SqlArchiveIndex>();
        s.AddHostedService<IndexCheckpointer>();
        s.AddSingleton<IArchiveIndex>(sp => sp.GetRequiredService<SqlArchiveIndex>());
        s.AddSingleton<ArchiveServiceOptions>();
        s.AddSingleton<DicomNodeService>();
        if (roles.Scp) s.AddHostedService(sp => sp.GetRequiredService<DicomNodeService>());
        s.AddSingleton<ArchiveWriter>();
        s.AddSingleton(sp => new AiResultStore(sp.GetRequiredService<SqlArchiveIndex>()));
        s.AddOptions<InferenceOptions>().Bind(config.GetSection("Inference")).ValidateDataAnnotations().ValidateOnStart();
        if (roles.Worker) WorkerRole.Add(s);
        if (roles.Viewer)
        {
            s.AddEdgeCancerViewer(configuration);
            // Heatmaps need the models; a viewer without the worker role loads them itself on the first heatmap, if present.
            if (!roles.Worker && Directory.Exists(config["Node:Models"] ?? "./models"))
                s.AddSingleton<EdgeCancer.Inference.Models.IModelProvider>(sp =>
                    new EdgeCancer.Inference.Models.ActiveModelProvider(new EdgeCancer.Inference.Models.ModelRegistry(sp.GetRequiredService<IOptions<NodeOptions>>().Value.Models)));
            // Cookie and anti-forgery keys live with the node's data (shared by viewer replicas on the same volume).
            var keys = Path.Combine(config["Node:Data"] ?? "./data", "keys");
            s.AddDataProtection().SetApplicationName("EdgeCancer").PersistKeysToFileSystem(new DirectoryInfo(keys));
        }
        s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        configure?.Invoke(s);
        if (web is null) return ((HostApplicationBuilder)builder).Build();
        s.AddHostedService<ViewerInitializer>();
        var app = web.Build();
        app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
        app.MapEdgeCancerViewer();
        return app;
    }

    private static void ConfigureIndex(IndexOptions index, NodeOptions node)
    {
        var db = node.Db.Trim();
        if (db.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            index.Dialect = IndexDialect.Sqlite;
            index.ConnectionString = $"Data Source={Path.Combine(node.Data, "index.db")}";
        }
        else if (db.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            index.Dialect = IndexDialect.Sqlite;
            index.ConnectionString = $"Data Source={db["sqlite:".Length..]}";
        }
        else if (db.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) || db.StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            index.Dialect = IndexDialect.PostgreSql;
            index.ConnectionString = db.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) ? db["postgres:".Length..] : db;
        }
        else
        {
            throw new OptionsValidationException("Node:Db", typeof(NodeOptions), [$"Node:Db '{db}' is not 'sqlite', 'sqlite:PATH' or 'postgres:CONNECTION-STRING'."]);
        }
    }
}

/// <summary>The optional journal as a service (disposed with the host).</summary>
internal sealed class JournalHolder(WriteAheadJournal? journal) : IAsyncDisposable
{
    public WriteAheadJournal? Journal => journal;

    public ValueTask DisposeAsync() => journal?.DisposeAsync() ?? ValueTask.CompletedTask;
}
