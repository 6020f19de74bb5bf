using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Scp.Tests.Archive;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Tests.Services;

/// <summary>Fast mode's write-behind on SQLite: answered before the rows commit, with the synchronous path's guarantees.</summary>
[Category("Archive")]
public sealed class WriteBehindTests
{
    private const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("ec-behind").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private FileStore FastStore() => new(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0, FastMode = true }),
        NullLogger<FileStore>.Instance, new FileSyncQueue(NullLogger<FileSyncQueue>.Instance));

    private static async Task<TestIndex> ReadyIndexAsync()
    {
        var t = await TestIndex.CreateAsync(IndexDialect.Sqlite);
        t.Index.ClearWriteBehindLog(); // what the node's start does after its replay
        return t;
    }

    private static DicomDataset Ct(string study, string series, string sop)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, CtImage);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P1");
        return ds;
    }

    // A C-STORE's path: the data set staged under .incoming, then committed with the command's UIDs.
    private static async Task<DicomOutcome> CStoreAsync(FileStore store, ArchiveWriter writer, DicomDataset ds)
    {
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        await using var pending = store.BeginIncoming().Write!;
        using (var buffer = new MemoryStream())
        {
            file.Save(buffer);
            await pending.Stream.WriteAsync(buffer.ToArray());
        }
        var (outcome, _, _) = await writer.CommitStagedAsync(pending, ds.GetString(DicomTags.SOPInstanceUID), CtImage, null, CancellationToken.None);
        return outcome;
    }

    // Holds the index's write lock (as a long write would) until the returned source is completed.
    private static (TaskCompletionSource Gate, Task Holder) HoldWriteLock(SqlArchiveIndex index)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = index.ExecuteWriteAsync(async _ => { held.SetResult(); await gate.Task; return true; }, CancellationToken.None);
        held.Task.Wait(Limit);
        return (gate, holder);
    }

    [Test]
    public async Task A_store_is_answered_before_its_rows_commit_and_a_query_made_after_the_answer_still_finds_it()
    {
        await using var t = await ReadyIndexAsync();
        var store = FastStore();
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var (gate, holder) = HoldWriteLock(t.Index);

        // The commit cannot run while the lock is held, yet the sender has its success and the file is in place.
        var outcome = await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", "1.2.3.1.1")).WaitAsync(Limit);
        Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
        Assert.That(File.Exists(store.GetFullPath("1.2.3/1.2.3.1/1.2.3.1.1.dcm")), Is.True);
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.Zero, "not committed yet");
        Assert.That(File.ReadAllText(t.Index.WriteBehindLogPath!), Is.EqualTo("1.2.3/1.2.3.1/1.2.3.1.1.dcm\n"));

        // A query waits for the rows acknowledged before it.
        var query = t.Index.FindInstanceAsync("1.2.3.1.1", CancellationToken.None);
        await Task.Delay(200);
        Assert.That(query.IsCompleted, Is.False, "the query waits for the acknowledged instance's rows");
        gate.SetResult();
        await holder.WaitAsync(Limit);
        var found = await query.WaitAsync(Limit);
        Assert.That(found?.FilePath, Is.EqualTo("1.2.3/1.2.3.1/1.2.3.1.1.dcm"));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(1), "a CT image gets its inference work item");
    }

    [Test]
    public async Task Fewer_rows_than_a_batch_commit_on_their_own_without_a_query()
    {
        // Under SqlArchiveIndex.BehindBatchTarget rows wait (at most BehindCommitDelay) for others, then a timer commits
        // them: nothing else (no query, no more stores, no stop) is needed. Counted on a connection of its own, which
        // does not wait for acknowledged rows as the index's queries do.
        await using var t = await ReadyIndexAsync();
        var store = FastStore();
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        for (int i = 1; i <= 3; i++)
            Assert.That((await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", $"1.2.3.1.{i}"))).Status, Is.EqualTo(DicomStatus.Success));
        var deadline = DateTime.UtcNow + Limit;
        long committed;
        while ((committed = await t.CountAsync("SELECT COUNT(*) FROM instance")) < 3 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.That(committed, Is.EqualTo(3));
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(3));
    }

    [Test]
    public async Task A_batch_keeps_the_journal_of_its_savepoints_in_memory()
    {
        // Each request of a batch runs in a savepoint; SQLite journals the pages a savepoint may restore, and past
        // 64 KiB it spilled that journal to a temp file, written page by page (1.3–1.8 writes per stored
        // slice in fast mode). SQLite's temp folder (process-wide) points at a watched folder while 64 stores commit together.
        await using var t = await ReadyIndexAsync();
        var store = FastStore();
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var temp = Directory.CreateDirectory(Path.Combine(_root, "sqlite-temp")).FullName;
        var created = new List<string>();
        using var watcher = new FileSystemWatcher(temp) { NotifyFilter = NotifyFilters.FileName, EnableRaisingEvents = true };
        watcher.Created += (_, e) => { lock (created) created.Add(e.Name ?? "?"); };
        await SetSqliteTempDirectoryAsync(t, temp);
        try
        {
            var (gate, holder) = HoldWriteLock(t.Index);
            for (int i = 1; i <= 64; i++)
            {
                var outcome = await CStoreAsync(store, writer, Ct($"1.2.{i % 4}", $"1.2.{i % 4}.{i % 8}", $"1.2.{i % 4}.{i % 8}.{i}.{Random.Shared.Next()}")).WaitAsync(Limit);
                Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
            }
            gate.SetResult(); // the 64 queued rows commit in batches of 32
            await holder.WaitAsync(Limit);
            var deadline = DateTime.UtcNow + Limit;
            long committed;
            while ((committed = await t.CountAsync("SELECT COUNT(*) FROM instance")) < 64 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.That(committed, Is.EqualTo(64));
            // The canary: the same kind of journal, 300 KB of it, on a connection of the default setting does make a
            // file there, so the watch is seen to work.
            await t.ExecuteAsync("""
                CREATE TABLE canary (x BLOB);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO canary SELECT randomblob(1000) FROM n;
                BEGIN; SAVEPOINT s; UPDATE canary SET x = randomblob(1000); RELEASE s; COMMIT;
                """);
            await Task.Delay(300);
        }
        finally
        {
            await SetSqliteTempDirectoryAsync(t, "");
        }
        lock (created)
        {
            Assert.That(created, Has.Some.StartsWith("etilqs_"), "the canary's temp file was seen");
            Assert.That(created, Has.Count.EqualTo(1), "only the canary made a temp file: " + string.Join(", ", created));
        }
    }

    // PRAGMA temp_store_directory (deprecated, still built in) sets SQLite's process-wide temp folder; "" restores the default.
    private static async Task SetSqliteTempDirectoryAsync(TestIndex t, string folder)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(t.Options.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA temp_store_directory = '{folder.Replace("'", "''")}'";
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public async Task Hierarchy_conflicts_are_refused_before_the_answer_against_committed_and_not_yet_committed_instances()
    {
        await using var t = await ReadyIndexAsync();
        var store = FastStore();
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        Assert.That((await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", "1.2.3.1.1"))).Status, Is.EqualTo(DicomStatus.Success));
        await t.Index.FindInstanceAsync("1.2.3.1.1", CancellationToken.None); // committed

        var (gate, holder) = HoldWriteLock(t.Index);
        // Committed: the same SOP Instance UID in another study, the same series in another study.
        var other = await CStoreAsync(store, writer, Ct("1.2.9", "1.2.9.1", "1.2.3.1.1"));
        Assert.That(other.Status, Is.EqualTo(DicomStatus.ProcessingFailure));
        Assert.That(other.ErrorComment, Does.Contain("another study"));
        var moved = await CStoreAsync(store, writer, Ct("1.2.9", "1.2.3.1", "1.2.3.1.7"));
        Assert.That(moved.Status, Is.EqualTo(DicomStatus.ProcessingFailure));
        Assert.That(moved.ErrorComment, Does.Contain("Series Instance UID already stored in another study"));

        // Admitted but not committed (the lock is held): a new instance, then the same UID in another series.
        Assert.That((await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", "1.2.3.1.2"))).Status, Is.EqualTo(DicomStatus.Success));
        var elsewhere = await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.2", "1.2.3.1.2"));
        Assert.That(elsewhere.Status, Is.EqualTo(DicomStatus.ProcessingFailure));
        Assert.That(elsewhere.ErrorComment, Does.Contain("another series"));
        Assert.That((await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.5", "1.2.3.5.1"))).Status, Is.EqualTo(DicomStatus.Success));
        var newSeriesMoved = await CStoreAsync(store, writer, Ct("1.2.8", "1.2.3.5", "1.2.3.5.2"));
        Assert.That(newSeriesMoved.Status, Is.EqualTo(DicomStatus.ProcessingFailure), "a series admitted under another study");

        gate.SetResult();
        await holder.WaitAsync(Limit);
        Assert.That(await t.Index.FindInstanceAsync("1.2.3.1.2", CancellationToken.None), Is.Not.Null);
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(3));
        Assert.That(Directory.GetFiles(_root, "*.dcm", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f)).Order(),
            Is.EqualTo(new[] { "1.2.3/1.2.3.1/1.2.3.1.1.dcm", "1.2.3/1.2.3.1/1.2.3.1.2.dcm", "1.2.3/1.2.3.5/1.2.3.5.1.dcm" }),
            "no refused file was renamed into place");
    }

    // The next start may have write-behind turned off: the record of the earlier run is replayed all the same.
    [TestCase(true)]
    [TestCase(false)]
    public async Task Instances_acknowledged_whose_rows_never_committed_are_indexed_by_the_next_start(bool nextWritesBehind)
    {
        await using var first = await ReadyIndexAsync();
        var store = FastStore();
        var writer = new ArchiveWriter(store, first.Index, new ArchiveServiceOptions());
        // The node "dies" with its rows queued: the lock is never released before the next start runs.
        var (gate, holder) = HoldWriteLock(first.Index);
        for (int i = 1; i <= 3; i++)
            Assert.That((await CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", $"1.2.3.1.{i}"))).Status, Is.EqualTo(DicomStatus.Success));
        Assert.That(await first.CountAsync("SELECT COUNT(*) FROM instance"), Is.Zero);

        // The next start: the same database and store, a new index.
        var options = new IndexOptions { ConnectionString = first.Options.ConnectionString, WriteBehind = nextWritesBehind };
        await using var next = new SqlArchiveIndex(Options.Create(options));
        await next.InitializeAsync(CancellationToken.None);
        Assert.That(next.CanWriteBehind, Is.False, "no write-behind before the record is replayed");
        var replayed = await new ArchiveWriter(store, next, new ArchiveServiceOptions()).ReplayWriteBehindAsync(CancellationToken.None);
        Assert.That(replayed, Is.EqualTo(3));
        Assert.That(next.CanWriteBehind, Is.EqualTo(nextWritesBehind));
        var record = new FileInfo(next.WriteBehindLogPath!);
        Assert.That(record.Exists ? record.Length : 0, Is.Zero, "the record is emptied (or gone when write-behind is off)");
        for (int i = 1; i <= 3; i++)
            Assert.That((await next.FindInstanceAsync($"1.2.3.1.{i}", CancellationToken.None))?.FilePath, Is.EqualTo($"1.2.3/1.2.3.1/1.2.3.1.{i}.dcm"));
        Assert.That(await first.CountAsync("SELECT COUNT(*) FROM work_queue"), Is.EqualTo(3), "each CT image queued for inference once");
        // A second replay finds nothing to do.
        Assert.That(await new ArchiveWriter(store, next, new ArchiveServiceOptions()).ReplayWriteBehindAsync(CancellationToken.None), Is.Zero);

        gate.SetResult();
        await holder.WaitAsync(Limit);
    }

    [Test]
    public async Task Without_write_behind_the_rows_commit_before_the_answer()
    {
        await using var t = await TestIndex.CreateAsync(IndexDialect.Sqlite, o => o.WriteBehind = false);
        t.Index.ClearWriteBehindLog();
        Assert.That(t.Index.CanWriteBehind, Is.False);
        var store = FastStore();
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var (gate, holder) = HoldWriteLock(t.Index);
        var store1 = CStoreAsync(store, writer, Ct("1.2.3", "1.2.3.1", "1.2.3.1.1"));
        await Task.Delay(200);
        Assert.That(store1.IsCompleted, Is.False, "the answer waits for the commit");
        gate.SetResult();
        Assert.That((await store1.WaitAsync(Limit)).Status, Is.EqualTo(DicomStatus.Success));
        await holder;
    }
}
