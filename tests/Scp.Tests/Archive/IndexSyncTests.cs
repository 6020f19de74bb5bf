using System.Diagnostics;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Tests.Archive;

/// <summary>
/// <see cref="SqlArchiveIndex.SyncAsync"/> must leave the node's SQLite locks alone. POSIX record locks belong to the
/// process and file, and closing any descriptor of the file drops them all; a sqlite3 process that then closes its own
/// connection believes it is the last one, checkpoints and deletes the WAL the node still writes to, so later commits
/// are invisible to every other process and lost when the node dies.
/// </summary>
[TestFixture, Category("Archive")]
public sealed class IndexSyncTests
{
    private static string Sqlite3(string db, string sql)
    {
        const string tool = "/usr/bin/sqlite3";
        Assert.That(File.Exists(tool), Is.True, $"{tool} is needed (Debian package sqlite3)");
        var psi = new ProcessStartInfo(tool, [db, sql]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), output);
        return output.Trim();
    }

    [Test]
    public async Task After_a_sync_another_process_reading_the_index_neither_deletes_its_WAL_nor_misses_later_commits()
    {
        await using var t = await TestIndex.CreateAsync(IndexDialect.Sqlite);
        var db = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(t.Options.ConnectionString).DataSource;
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), enqueueWork: false, CancellationToken.None);
        // Hold a pooled connection open, as a running node does.
        await using var held = await t.Index.OpenReadConnectionAsync(CancellationToken.None);

        await t.Index.SyncAsync(CancellationToken.None);
        Assert.That(Sqlite3(db, "SELECT COUNT(*) FROM instance;"), Is.EqualTo("1"));
        Assert.That(File.Exists(db + "-wal"), Is.True, "the WAL of the open index must still be there after another process read it");

        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.2"), enqueueWork: false, CancellationToken.None);
        Assert.That(Sqlite3(db, "SELECT COUNT(*) FROM instance;"), Is.EqualTo("2"), "a commit after the sync must be visible to another process");
    }

    [Test]
    public async Task A_sync_leaves_the_user_version_as_it_was()
    {
        await using var t = await TestIndex.CreateAsync(IndexDialect.Sqlite);
        await t.ExecuteAsync("PRAGMA user_version = 7;");
        await t.Index.SyncAsync(CancellationToken.None);
        Assert.That(await t.CountAsync("PRAGMA user_version;"), Is.EqualTo(7));
    }
}
