using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Tests.Archive;

[Category("Archive")]
[TestFixtureSource(typeof(Dialects), nameof(Dialects.All))]
public sealed class ArchiveIndexTests(IndexDialect dialect)
{
    private readonly List<TestIndex> _indexes = [];
    private string _root = "";

    private async Task<TestIndex> NewIndexAsync(Action<IndexOptions>? configure = null)
    {
        var index = await TestIndex.CreateAsync(dialect, configure);
        _indexes.Add(index);
        return index;
    }

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), "ec-archive-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public async Task Cleanup()
    {
        foreach (var index in _indexes) await index.DisposeAsync();
        _indexes.Clear();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private FileStore Store() => new(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);

    [Test]
    public async Task New_instance_is_added_with_its_patient_study_and_series()
    {
        var t = await NewIndexAsync();
        var result = await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), enqueueWork: false, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.Added));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM patient"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM study"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM series"), Is.EqualTo(1));
        var found = await t.Index.FindInstanceAsync("1.1.1.1", CancellationToken.None);
        Assert.That(found, Is.EqualTo(new IndexedInstance("1.1.1.1", Records.CtImage, "1.1", "1.1.1", "1.1/1.1.1/1.1.1.1.dcm", 1234, null)));
    }

    [Test]
    public async Task A_series_deleted_by_another_connection_is_recreated_by_its_next_instance()
    {
        // The SQLite store path remembers the study and series rows it wrote last; rows removed behind its back
        // (another process, a retention job) must not leave the next instance pointing at a missing series.
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        await t.ExecuteAsync("DELETE FROM instance");
        await t.ExecuteAsync("DELETE FROM series");
        await t.ExecuteAsync("DELETE FROM study");
        var result = await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.2"), false, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.Added));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM study WHERE study_instance_uid = '1.1'"), Is.EqualTo(1));
        Assert.That(await t.CountAsync(
            "SELECT COUNT(*) FROM instance i JOIN series se ON i.series_fk = se.pk WHERE se.series_instance_uid = '1.1.1' AND i.sop_instance_uid = '1.1.1.2'"),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Every_instance_moves_its_study_and_series_updated_at_even_when_no_value_changes()
    {
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        await t.ExecuteAsync("UPDATE study SET updated_at = 0");
        await t.ExecuteAsync("UPDATE series SET updated_at = 0");
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.2"), false, CancellationToken.None);
        Assert.That(await t.CountAsync("SELECT updated_at FROM study"), Is.GreaterThan(0));
        Assert.That(await t.CountAsync("SELECT updated_at FROM series"), Is.GreaterThan(0));
    }

    [Test]
    public async Task A_later_instance_with_a_new_series_description_updates_the_series_row()
    {
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1") with { SeriesDescription = "AXIAL" }, false, CancellationToken.None);
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.2") with { SeriesDescription = "AXIAL 1mm" }, false, CancellationToken.None);
        await using var connection = await t.OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT series_description FROM series";
        Assert.That(await command.ExecuteScalarAsync(), Is.EqualTo("AXIAL 1mm"));
    }

    [Test]
    public async Task Duplicate_under_Replace_policy_keeps_one_row_with_the_new_values()
    {
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        var again = Records.Instance("1.1", "1.1.1", "1.1.1.1") with { FileSize = 999, InstanceNumber = 7 };
        var result = await t.Index.StoreInstanceAsync(again, false, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.Replaced));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT file_size FROM instance"), Is.EqualTo(999));
        Assert.That(await t.CountAsync("SELECT instance_number FROM instance"), Is.EqualTo(7));
    }

    [Test]
    public async Task Duplicate_under_Ignore_policy_keeps_the_first_row_and_does_not_run_the_rename()
    {
        var t = await NewIndexAsync(o => o.DuplicatePolicy = DuplicatePolicy.Ignore);
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        bool renamed = false;
        var result = await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1") with { FileSize = 999 }, true, CancellationToken.None,
            _ => { renamed = true; return ValueTask.CompletedTask; });
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.DuplicateIgnored));
        Assert.That(result.IsStored, Is.True);
        Assert.That(renamed, Is.False);
        Assert.That(await t.CountAsync("SELECT file_size FROM instance"), Is.EqualTo(1234));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(0));
    }

    [Test]
    public async Task SOP_Instance_UID_under_another_study_is_refused_and_changes_nothing()
    {
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        var moved = await t.Index.StoreInstanceAsync(Records.Instance("2.1", "2.1.1", "1.1.1.1"), true, CancellationToken.None);
        Assert.That(moved.Outcome, Is.EqualTo(StoreOutcome.HierarchyConflict));
        Assert.That(moved.Message, Does.Contain("another study"));
        var otherSeries = await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.2", "1.1.1.1"), true, CancellationToken.None);
        Assert.That(otherSeries.Outcome, Is.EqualTo(StoreOutcome.HierarchyConflict));
        Assert.That(otherSeries.Message, Does.Contain("another series"));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM study"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM series"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(0));
    }

    [Test]
    public async Task Series_Instance_UID_under_another_study_is_refused()
    {
        var t = await NewIndexAsync();
        await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), false, CancellationToken.None);
        var result = await t.Index.StoreInstanceAsync(Records.Instance("2.1", "1.1.1", "1.1.1.2"), false, CancellationToken.None);
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.HierarchyConflict));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM study"), Is.EqualTo(1));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(1));
    }

    [Test]
    public async Task Work_item_is_committed_with_the_instance_and_the_file()
    {
        var t = await NewIndexAsync();
        var store = Store();
        await using var write = store.BeginWrite("1.1", "1.1.1", "1.1.1.1").Write!;
        await write.Stream.WriteAsync(new byte[] { 1, 2, 3, 4 });
        await write.FlushToDiskAsync(CancellationToken.None);
        var result = await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), true, CancellationToken.None, write.CommitAsync);
        Assert.That(result.Outcome, Is.EqualTo(StoreOutcome.Added));
        Assert.That(result.WorkItemId, Is.Not.Null);
        var item = await t.Index.GetWorkItemAsync(result.WorkItemId!.Value, CancellationToken.None);
        Assert.That(item!.State, Is.EqualTo(WorkState.Pending));
        Assert.That(item.SopInstanceUid, Is.EqualTo("1.1.1.1"));
        Assert.That(File.Exists(store.GetFullPath("1.1/1.1.1/1.1.1.1.dcm")), Is.True);
    }

    [Test]
    public async Task Failing_work_item_insert_leaves_no_instance_no_work_item_and_no_file()
    {
        var t = await NewIndexAsync();
        // A trigger makes the work-queue insert fail after the instance row was written in the same transaction.
        if (dialect == IndexDialect.Sqlite)
            await t.ExecuteAsync("CREATE TRIGGER fail_work BEFORE INSERT ON work_queue WHEN NEW.sop_instance_uid = '9.9.9.9' BEGIN SELECT RAISE(ABORT, 'injected'); END;");
        else
            await t.ExecuteAsync("""
                CREATE FUNCTION fail_work() RETURNS trigger AS $$ BEGIN
                  IF NEW.sop_instance_uid = '9.9.9.9' THEN RAISE EXCEPTION 'injected'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                CREATE TRIGGER fail_work BEFORE INSERT ON work_queue FOR EACH ROW EXECUTE FUNCTION fail_work();
                """);
        var store = Store();
        await using (var write = store.BeginWrite("9.9", "9.9.9", "9.9.9.9").Write!)
        {
            await write.Stream.WriteAsync(new byte[] { 1, 2, 3 });
            await write.FlushToDiskAsync(CancellationToken.None);
            Assert.That(async () => await t.Index.StoreInstanceAsync(Records.Instance("9.9", "9.9.9", "9.9.9.9"), true, CancellationToken.None, write.CommitAsync),
                Throws.InstanceOf<System.Data.Common.DbException>());
        }
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(0));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM study"), Is.EqualTo(0));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(0));
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Failing_rename_rolls_back_the_instance_and_its_work_item()
    {
        var t = await NewIndexAsync();
        Assert.That(async () => await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.1"), true, CancellationToken.None,
            _ => throw new IOException("rename failed")), Throws.InstanceOf<IOException>());
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(0));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(0));
    }

    [Test]
    public async Task Claims_are_exclusive_across_two_concurrent_claimers()
    {
        var t = await NewIndexAsync();
        for (int i = 1; i <= 40; i++)
            await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", $"1.1.1.{i}"), true, CancellationToken.None);
        var claimed = new System.Collections.Concurrent.ConcurrentBag<(string Worker, long Id)>();
        async Task Claimer(string worker)
        {
            while (true)
            {
                var batch = await t.Index.ClaimAsync(worker, 3, CancellationToken.None);
                if (batch.Count == 0) return;
                foreach (var item in batch)
                {
                    Assert.That(item.ClaimedBy, Is.EqualTo(worker));
                    claimed.Add((worker, item.Id));
                }
            }
        }
        await Task.WhenAll(Task.Run(() => Claimer("A")), Task.Run(() => Claimer("B")));
        Assert.That(claimed.Select(c => c.Id).Distinct().Count(), Is.EqualTo(40));
        Assert.That(claimed, Has.Count.EqualTo(40), "no item may be claimed twice");
    }

    [Test]
    public async Task Claims_of_a_gone_process_are_released_at_once_and_others_keep_theirs()
    {
        var t = await NewIndexAsync(o => o.WorkLeaseTimeout = TimeSpan.FromMinutes(10));
        for (int i = 1; i <= 4; i++) await t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", $"1.1.1.{i}"), true, CancellationToken.None);
        var dead = await t.Index.ClaimAsync("box/4242/dead", 3, CancellationToken.None);
        var alive = await t.Index.ClaimAsync("box/77/alive", 1, CancellationToken.None);
        Assert.That(await t.Index.ClaimAsync("next", 10, CancellationToken.None), Is.Empty, "within the lease nothing is claimable");

        var seen = new List<string>();
        int released = await t.Index.ReleaseOrphanedClaimsAsync((worker, _) => { seen.Add(worker); return worker.Contains("/dead", StringComparison.Ordinal); }, CancellationToken.None);
        Assert.That(released, Is.EqualTo(3));
        Assert.That(seen, Is.EquivalentTo(new[] { "box/4242/dead", "box/77/alive" }), "asked once per claimer");
        var again = await t.Index.ClaimAsync("next", 10, CancellationToken.None);
        Assert.That(again.Select(w => w.Id), Is.EquivalentTo(dead.Select(w => w.Id)));
        Assert.That(again.Select(w => w.Attempts), Is.All.EqualTo(2), "the dead claim's attempt stays counted");
        Assert.That(await t.Index.CompleteAsync(dead[0].Id, "box/4242/dead", CancellationToken.None), Is.False, "the dead claimer holds nothing");
        Assert.That(await t.Index.CompleteAsync(alive[0].Id, "box/77/alive", CancellationToken.None), Is.True, "a live claim is untouched");
    }

    [Test]
    public async Task Complete_fail_retry_and_stale_claims()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var t = await TestIndex.CreateAsync(dialect, o => { o.WorkLeaseTimeout = TimeSpan.FromMinutes(5); o.MaxWorkAttempts = 2; });
        _indexes.Add(t);
        var index = new SqlArchiveIndex(Options.Create(t.Options), null, clock);
        try
        {
            for (int i = 1; i <= 3; i++) await index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", $"1.1.1.{i}"), true, CancellationToken.None);
            var a = await index.ClaimAsync("A", 10, CancellationToken.None);
            Assert.That(a.Select(w => w.Attempts), Is.EqualTo(new[] { 1, 1, 1 }));
            Assert.That(await index.ClaimAsync("B", 10, CancellationToken.None), Is.Empty, "fresh claims are not re-claimable");

            Assert.That(await index.CompleteAsync(a[0].Id, "A", CancellationToken.None), Is.True);
            Assert.That(await index.CompleteAsync(a[1].Id, "B", CancellationToken.None), Is.False, "only the claimer completes");
            Assert.That(await index.FailAsync(a[1].Id, "A", "decoder", retry: true, TimeSpan.FromMinutes(1), CancellationToken.None), Is.True);
            Assert.That((await index.GetWorkItemAsync(a[1].Id, CancellationToken.None))!.State, Is.EqualTo(WorkState.Pending));
            Assert.That(await index.ClaimAsync("B", 10, CancellationToken.None), Is.Empty, "a retry waits for its delay");

            clock.Advance(TimeSpan.FromMinutes(6));
            var b = await index.ClaimAsync("B", 10, CancellationToken.None);
            Assert.That(b.Select(w => w.Id), Is.EquivalentTo(new[] { a[1].Id, a[2].Id }), "retried item and stale claim of A");
            Assert.That(await index.CompleteAsync(a[2].Id, "A", CancellationToken.None), Is.False, "A lost its lease");
            Assert.That(await index.FailAsync(a[1].Id, "B", "again", retry: true, TimeSpan.Zero, CancellationToken.None), Is.True);
            var failed = await index.GetWorkItemAsync(a[1].Id, CancellationToken.None);
            Assert.That(failed!.State, Is.EqualTo(WorkState.Failed), "attempts exhausted");
            Assert.That(failed.LastError, Is.EqualTo("again"));
            Assert.That((await index.GetWorkItemAsync(a[0].Id, CancellationToken.None))!.State, Is.EqualTo(WorkState.Done));
        }
        finally { await index.DisposeAsync(); }
    }

    [Test]
    public async Task Remote_AE_table_round_trips_operations()
    {
        var t = await NewIndexAsync();
        await t.Index.UpsertRemoteAeAsync(new RemoteAe("PACS", "127.0.0.1", 104, AeOperations.Echo | AeOperations.Move, "viewer"), CancellationToken.None);
        await t.Index.UpsertRemoteAeAsync(new RemoteAe("PACS", "127.0.0.1", 11113, AeOperations.All), CancellationToken.None);
        await t.Index.UpsertRemoteAeAsync(new RemoteAe("CT1", "127.0.0.2", 4006, AeOperations.Store), CancellationToken.None);
        Assert.That(await t.Index.GetRemoteAeAsync("PACS", CancellationToken.None), Is.EqualTo(new RemoteAe("PACS", "127.0.0.1", 11113, AeOperations.All)));
        Assert.That((await t.Index.ListRemoteAesAsync(CancellationToken.None)).Select(a => a.AeTitle), Is.EqualTo(new[] { "CT1", "PACS" }));
        Assert.That(await t.Index.DeleteRemoteAeAsync("CT1", CancellationToken.None), Is.True);
        Assert.That(await t.Index.GetRemoteAeAsync("CT1", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task Migrations_are_applied_once()
    {
        var t = await NewIndexAsync();
        var again = await IndexMigrator.MigrateAsync(dialect, t.Options.Dialect == IndexDialect.Sqlite ? t.Options.ConnectionString : t.Options.ConnectionString,
            NullLogger.Instance, CancellationToken.None);
        Assert.That(again.AppliedScripts, Is.Empty);
        var folder = dialect == IndexDialect.Sqlite ? ".Migrations.Sqlite." : ".Migrations.Postgres.";
        var scripts = typeof(IndexMigrator).Assembly.GetManifestResourceNames().Count(n => n.Contains(folder, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal));
        Assert.That(scripts, Is.GreaterThanOrEqualTo(2));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM schemaversions"), Is.EqualTo(scripts), "each embedded script recorded exactly once");
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}
