using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// Applies the versioned SQL scripts of the chosen dialect (embedded from <c>Index/Migrations/{Sqlite|Postgres}</c>,
/// applied in name order, each once, recorded by DbUp in its <c>schemaversions</c> journal).
/// </summary>
public static class IndexMigrator
{
    public static async Task<MigrationResult> MigrateAsync(IndexDialect dialect, string connectionString, ILogger logger, CancellationToken ct)
    {
        var folder = dialect == IndexDialect.PostgreSql ? ".Migrations.Postgres." : ".Migrations.Sqlite.";
        var builder = dialect == IndexDialect.PostgreSql
            ? DeployChanges.To.PostgresqlDatabase(connectionString)
            : DeployChanges.To.SqliteDatabase(connectionString);
        var engine = builder
            .WithScriptsEmbeddedInAssembly(typeof(IndexMigrator).Assembly, name => name.Contains(folder, StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogTo(new DbUpLog(logger))
            .Build();
        var result = await Task.Run(engine.PerformUpgrade, ct).ConfigureAwait(false);
        if (!result.Successful)
            throw new InvalidOperationException(
                $"Index migration {result.ErrorScript?.Name ?? "(unknown)"} failed on {dialect}: {result.Error?.Message}", result.Error);
        return new MigrationResult(result.Scripts.Select(s => s.Name).ToList());
    }

    private sealed class DbUpLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Trace, Format(format, args));
        public void LogDebug(string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Debug, Format(format, args));
        public void LogInformation(string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Information, Format(format, args));
        public void LogWarning(string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Warning, Format(format, args));
        public void LogError(string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Error, Format(format, args));
        public void LogError(Exception ex, string format, params object[] args) => IndexLog.Migration(logger, LogLevel.Error, Format(format, args) + ": " + ex.Message);

        private static string Format(string format, object[] args) =>
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}

/// <summary>Scripts applied by one migration run.</summary>
public sealed record MigrationResult(IReadOnlyList<string> AppliedScripts);
