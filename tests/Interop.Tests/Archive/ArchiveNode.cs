using System.Net;
using System.Net.Sockets;
using EdgeCancer.Host.Serve;
using EdgeCancer.Scp.Services;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// An <c>edgecancer serve</c> node run in-process (through <see cref="NodeHostBuilder"/>) on its own temporary data
/// folder and a free loopback port, plus the views of its store and index the tests assert on.
/// </summary>
internal sealed class ArchiveNode : IAsyncDisposable
{
    public const string AETitle = "EDGECANCER";

    private ArchiveNode(IHost host, string data, int port)
    {
        Host = host;
        Data = data;
        Port = port;
    }

    public IHost Host { get; }
    public string Data { get; }
    public int Port { get; }
    public string DicomRoot => Path.Combine(Data, "dicom");
    public string Incoming => Path.Combine(DicomRoot, ".incoming");

    public static async Task<ArchiveNode> StartAsync(Action<IServiceCollection>? configure = null, string? data = null)
    {
        data ??= Directory.CreateTempSubdirectory("ec-archive-").FullName;
        int port = FreePort();
        var host = NodeHostBuilder.Build(new ServeArguments(data, port, null, AETitle, null, null, null, false, null), s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)); // keep test output to what matters
            configure?.Invoke(s);
        });
        await host.StartAsync();
        await host.Services.GetRequiredService<DicomNodeService>().Listening.WaitAsync(TimeSpan.FromSeconds(30));
        return new ArchiveNode(host, data, port);
    }

    /// <summary>The committed instance files, <c>{Study}/{Series}/{SOP}.dcm</c>, outside <c>.incoming</c>.</summary>
    public string[] StoredFiles() => StoredFiles(DicomRoot);

    public static string[] StoredFiles(string dicomRoot) => !Directory.Exists(dicomRoot) ? [] :
        Directory.GetFiles(dicomRoot, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + ".incoming" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

    /// <summary>Anything left in the staging folder (a write that neither committed nor was cleaned up).</summary>
    public string[] IncomingLeftovers() => Directory.Exists(Incoming) ? Directory.GetFiles(Incoming, "*", SearchOption.AllDirectories) : [];

    public long CountRows(string table) => CountRows(Data, table);

    public static long CountRows(string data, string table)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(data, "index.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    public static IReadOnlyList<string> IndexedSopInstanceUids(string data)
    {
        using var c = new SqliteConnection($"Data Source={Path.Combine(data, "index.db")};Mode=ReadOnly;Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT sop_instance_uid FROM instance ORDER BY sop_instance_uid";
        using var r = cmd.ExecuteReader();
        var list = new List<string>();
        while (r.Read()) list.Add(r.GetString(0));
        return list;
    }

    /// <summary>Where the archive keeps an instance.</summary>
    public string PathOf(string study, string series, string sop) => Path.Combine(DicomRoot, study, series, sop + ".dcm");

    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try { await Host.StopAsync(cts.Token); } finally { Host.Dispose(); }
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Data, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
