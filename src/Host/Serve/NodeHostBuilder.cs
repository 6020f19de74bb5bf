using System.ComponentModel.DataAnnotations;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Host.Serve;

/// <summary>Settings given on the command line of <c>edgecancer serve</c>; each overrides config file and environment.</summary>
public sealed record ServeArguments(string? Data, int? DicomPort, int? HttpPort, string? AETitle, string? Db, string? ConfigFile, string? LogFormat, bool? FastMode, string? Bind);

/// <summary>Node-wide settings (config section <c>Node</c>).</summary>
public sealed class NodeOptions
{
    /// <summary>Data folder (Node:Data): DICOM files under <c>dicom/</c>, the SQLite index as <c>index.db</c>.</summary>
    [Required(ErrorMessage = "Node:Data must name a folder.")]
    public string Data { get; set; } = "./data";

    /// <summary>Web port (Node:HttpPort), for the viewer role.</summary>
    [Range(1, 65535, ErrorMessage = "Node:HttpPort must be between 1 and 65535.")]
    public int HttpPort { get; set; } = 8080;

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
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var config = builder.Configuration;
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
        config.AddInMemoryCollection(overrides);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(config.GetSection("Logging"));
        if (string.Equals(args.LogFormat ?? config["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "O"; });
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

        var s = builder.Services;
        s.AddOptions<NodeOptions>().Bind(config.GetSection("Node")).ValidateDataAnnotations().ValidateOnStart();
        s.AddOptions<DicomNodeOptions>().Bind(config.GetSection("Dicom")).ValidateDataAnnotations()
            .Validate(o => System.Net.IPAddress.TryParse(o.BindAddress, out _), "Dicom:BindAddress must be an IP address such as 127.0.0.1 or 0.0.0.0.")
            .ValidateOnStart();
        s.AddOptions<FileStoreOptions>()
            .Configure<IOptions<NodeOptions>>((f, node) => f.Root = Path.Combine(node.Value.Data, "dicom"))
            .Bind(config.GetSection("Storage"))
            .Validate(f => f.FreeSpaceWatermarkBytes >= 0, "Storage:FreeSpaceWatermarkBytes must not be negative.")
            .ValidateOnStart();
        s.AddOptions<IndexOptions>()
            .Configure<IOptions<NodeOptions>>((i, node) => ConfigureIndex(i, node.Value))
            .Bind(config.GetSection("Index"))
            // Fast mode acknowledges before data is on disk; the index commit need not be either (WAL keeps it consistent).
            .PostConfigure<IOptions<FileStoreOptions>>((i, storage) =>
            {
                if (storage.Value.FastMode && config["Index:SqliteSynchronous"] is null) i.SqliteSynchronous = "NORMAL";
            })
            .ValidateOnStart();
        s.AddSingleton<FileSyncQueue>();
        s.AddHostedService<BackgroundFlusher>();
        s.AddSingleton(sp => new FileStore(sp.GetRequiredService<IOptions<FileStoreOptions>>(), sp.GetRequiredService<ILogger<FileStore>>(), sp.GetRequiredService<FileSyncQueue>()));
        s.AddSingleton<SqlArchiveIndex>();
        s.AddSingleton<IArchiveIndex>(sp => sp.GetRequiredService<SqlArchiveIndex>());
        s.AddSingleton<ArchiveServiceOptions>();
        s.AddSingleton<DicomNodeService>();
        s.AddHostedService(sp => sp.GetRequiredService<DicomNodeService>());
        s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(45));
        configure?.Invoke(s);
        return builder.Build();
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
