using System.Data.Common;
using EdgeCancer.Scp.Index;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace EdgeCancer.Scp.Tests.Archive;

/// <summary>The dialects every index test runs against.</summary>
public static class Dialects
{
    public static readonly object[] All = [IndexDialect.Sqlite, IndexDialect.PostgreSql];
}

/// <summary>A fresh, migrated index in its own database (SQLite file in a temp folder, or a new PostgreSQL database).</summary>
public sealed class TestIndex : IAsyncDisposable
{
    private readonly string? _folder;

    private TestIndex(SqlArchiveIndex index, IndexOptions options, string? folder)
    {
        Index = index;
        Options = options;
        _folder = folder;
    }

    public SqlArchiveIndex Index { get; }
    public IndexOptions Options { get; }

    public static async Task<TestIndex> CreateAsync(IndexDialect dialect, Action<IndexOptions>? configure = null)
    {
        string? folder = null;
        var options = new IndexOptions { Dialect = dialect };
        if (dialect == IndexDialect.Sqlite)
        {
            folder = Path.Combine(Path.GetTempPath(), "ec-index-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(folder);
            options.ConnectionString = $"Data Source={Path.Combine(folder, "index.db")}";
        }
        else
        {
            var server = await ArchiveTestRun.PostgresAsync();
            options.ConnectionString = await server.CreateDatabaseAsync();
        }
        configure?.Invoke(options);
        var index = new SqlArchiveIndex(Microsoft.Extensions.Options.Options.Create(options));
        await index.InitializeAsync(CancellationToken.None);
        return new TestIndex(index, options, folder);
    }

    public async Task<DbConnection> OpenRawAsync()
    {
        DbConnection connection = Options.Dialect == IndexDialect.PostgreSql
            ? new NpgsqlConnection(Options.ConnectionString)
            : new SqliteConnection(Options.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync();
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
        }
    }
}
