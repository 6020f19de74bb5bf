using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace EdgeCancer.Scp.Tests.Archive;

/// <summary>
/// The PostgreSQL server of the test run: <c>EDGECANCER_TEST_PG</c> when set, otherwise a throwaway server started
/// on first use (initdb + pg_ctl as user postgres in a temp folder, ENVIRONMENT.md) and stopped after the run.
/// Missing binaries fail the PostgreSQL fixtures with a message; they are not skipped.
/// </summary>
public sealed class PostgresServer
{
    private readonly string? _dataFolder;
    private readonly string? _binFolder;

    private PostgresServer(string adminConnectionString, string? dataFolder, string? binFolder)
    {
        AdminConnectionString = adminConnectionString;
        _dataFolder = dataFolder;
        _binFolder = binFolder;
    }

    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("EDGECANCER_TEST_PG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return new PostgresServer(fromEnvironment, null, null);

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d).LastOrDefault()
            : null;
        if (bin is null)
            Assert.Fail("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql), " +
                        "or set EDGECANCER_TEST_PG to a connection string of a server to use.");
        var temp = Path.Combine(Path.GetTempPath(), "ec-pg-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        await RunAsync("chown", "postgres:postgres", temp);
        await RunAsync("chmod", "700", temp);
        int port = FreePort();
        var data = Path.Combine(temp, "data");
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin!, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin!, "pg_ctl"), "-D", data, "-l", Path.Combine(temp, "log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {temp} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start");
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true", data, bin);
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "ec_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ToString();
    }

    public async Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataFolder is null || _binFolder is null) return;
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_binFolder, "pg_ctl"), "-D", _dataFolder, "-m", "fast", "-w", "stop");
        try { Directory.Delete(Path.GetDirectoryName(_dataFolder)!, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            Assert.Fail($"'{file} {string.Join(' ', args)}' exited {process.ExitCode}: {await stderr} {await stdout}");
    }
}

/// <summary>Starts PostgreSQL once for the Archive tests that need it and stops it at the end of the run.</summary>
[SetUpFixture]
public sealed class ArchiveTestRun
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? _server;

    public static async Task<PostgresServer> PostgresAsync()
    {
        await Gate.WaitAsync();
        try { return _server ??= await PostgresServer.StartAsync(); }
        finally { Gate.Release(); }
    }

    [OneTimeTearDown]
    public async Task StopPostgres()
    {
        if (_server is not null) await _server.StopAsync();
        _server = null;
    }
}
