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

/// <summary>
/// Durable mode's recovery: what a power loss can take (files and rows written without sync after the journal
/// record was durable) comes back from the journal at start, byte for byte; refused instances do not.
/// </summary>
[TestFixtureSource(typeof(Dialects), nameof(Dialects.All)), Category("Archive")]
public sealed class JournalReplayTests(IndexDialect dialect)
{
    private string _data = "";
    private string Root => Path.Combine(_data, "dicom");

    [SetUp]
    public void SetUp() => _data = Directory.CreateTempSubdirectory("ec-replay").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_data, recursive: true);

    // The tests that take files away after success use JournalMode.Data: there a file is written without sync and
    // only the journal holds its bytes. In write-once mode an acknowledged file was synced (see the WriteOnce tests).
    private (FileStore Store, WriteAheadJournal Journal) Open(TestIndex t, JournalMode mode = JournalMode.Data)
    {
        var options = Options.Create(new FileStoreOptions { Root = Root, FreeSpaceWatermarkBytes = 0, Journal = true, JournalSizeBytes = 8L << 20, JournalMode = mode });
        var journal = JournalFactory.Open(options, t.Index.SyncAsync, null)!;
        return (new FileStore(options, NullLogger<FileStore>.Instance, null, journal), journal);
    }

    private static DicomFile Ct(string study, string series, string sop, int seed)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P" + seed);
        var pixels = new byte[64 * 1024];
        new Random(seed).NextBytes(pixels);
        ds.AddOrUpdateBytes(new DicomTag(0x0009, 0x0010), DicomVR.OB, pixels);
        return new DicomFile(ds);
    }

    [Test]
    public async Task Files_and_rows_lost_after_the_journal_sync_are_restored_byte_for_byte_at_start()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var paths = new List<string>();
        for (int i = 1; i <= 5; i++)
        {
            var (outcome, _, path) = await writer.StoreAsync(Ct("1.2.3", "1.2.3.4", $"1.2.3.4.{i}", i), enqueueWork: false);
            Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
            paths.Add(store.GetFullPath(path!));
        }
        var original = paths.Select(File.ReadAllBytes).ToList();
        // No checkpoint ran. A power loss now can drop what was written without sync: a file gone, a file cut short,
        // index rows gone. (The journal itself was synced before each success.)
        await journal.DisposeAsync();
        File.Delete(paths[0]);
        using (var fs = new FileStream(paths[1], FileMode.Open)) fs.SetLength(fs.Length / 2);
        await t.ExecuteAsync("DELETE FROM instance WHERE sop_instance_uid IN ('1.2.3.4.3', '1.2.3.4.4')");
        Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(3));

        var (store2, journal2) = Open(t);
        await using (journal2)
        {
            var replayed = await new ArchiveWriter(store2, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None);
            Assert.That(replayed, Is.EqualTo(5));
            Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(5));
            for (int i = 0; i < 5; i++) Assert.That(File.ReadAllBytes(paths[i]), Is.EqualTo(original[i]), $"instance {i + 1}");
            Assert.That(Directory.GetFiles(Path.Combine(Root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty);
            Assert.That(journal2.HasUnretired, Is.False, "recovery ends with a checkpoint");
        }
        // Replay is idempotent and the checkpoint retired everything: a second start replays nothing.
        var (store3, journal3) = Open(t);
        await using (journal3)
            Assert.That(await new ArchiveWriter(store3, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None), Is.Zero);
    }

    [Test]
    public async Task An_instance_refused_after_it_was_journalled_is_not_stored_by_replay()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var first = await writer.StoreAsync(Ct("1.2.3", "1.2.3.4", "1.2.3.4.1", 1), enqueueWork: false);
        Assert.That(first.Outcome.Status, Is.EqualTo(DicomStatus.Success));
        // Same SOP Instance UID in another study: journalled, then refused by the index (hierarchy conflict).
        var conflict = await writer.StoreAsync(Ct("1.2.9", "1.2.9.4", "1.2.3.4.1", 2), enqueueWork: false);
        Assert.That(conflict.Outcome.Status.IsFailure, Is.True);
        await journal.DisposeAsync();

        var (store2, journal2) = Open(t);
        await using (journal2)
        {
            Assert.That(await new ArchiveWriter(store2, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None), Is.EqualTo(1));
        }
        var other = Path.Combine(Root, "1.2.9");
        Assert.That(Directory.Exists(other) ? Directory.GetFiles(other, "*", SearchOption.AllDirectories) : [], Is.Empty);
        var indexed = await t.Index.FindInstanceAsync("1.2.3.4.1", CancellationToken.None);
        Assert.That(indexed!.StudyInstanceUid, Is.EqualTo("1.2.3"));
        Assert.That(DicomFile.Open(store2.GetFullPath(indexed.FilePath)).Dataset.GetString(DicomTags.PatientID), Is.EqualTo("P1"));
    }

    [Test]
    public async Task Durable_mode_with_the_journal_makes_no_fsync_of_its_own_per_file_and_checkpoints_in_the_background()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t);
        await using (journal)
        {
            var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
            for (int i = 1; i <= 3; i++)
                Assert.That((await writer.StoreAsync(Ct("1.2.3", "1.2.3.4", $"1.2.3.4.{i}", i), enqueueWork: false)).Outcome.Status, Is.EqualTo(DicomStatus.Success));
            Assert.That(journal.HasUnretired, Is.True);
            Assert.That(await journal.CheckpointAsync(CancellationToken.None), Is.GreaterThan(3 * 64 * 1024));
            Assert.That(journal.HasUnretired, Is.False);
        }
    }

    // Write-once mode: the staged file is synced with the intent record; the crash cases are the rename and the row.

    private static async Task<(PendingFile Pending, string StagedCopy, byte[] Bytes)> StageAndJournalAsync(FileStore store, WriteAheadJournal journal, DicomFile file, string aside)
    {
        var pending = store.BeginIncoming().Write!;
        using var buffer = new MemoryStream();
        file.Save(buffer);
        var bytes = buffer.ToArray();
        await pending.Stream.WriteAsync(bytes);
        await pending.FlushToDiskAsync(CancellationToken.None);
        var ds = file.Dataset;
        Assert.That(store.AssignDestination(pending, ds.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.SeriesInstanceUID),
            ds.GetString(DicomTags.SOPInstanceUID), out _), Is.EqualTo(UidProblem.None));
        await journal.AppendIntentAsync(Path.GetRelativePath(store.Root, pending.PartPath), pending.RelativePath, pending.Length, pending.Crc, CancellationToken.None);
        // What the disk holds if the process dies now: the staged file (synced by the group commit), not renamed.
        File.Copy(pending.PartPath, aside);
        return (pending, pending.PartPath, bytes);
    }

    [Test]
    public async Task WriteOnce_a_crash_after_the_group_sync_and_before_the_rename_and_the_row_stores_the_staged_file_at_start()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t, JournalMode.WriteOnce);
        var aside = Path.Combine(_data, "aside.part");
        var (pending, staged, bytes) = await StageAndJournalAsync(store, journal, Ct("1.2.3", "1.2.3.4", "1.2.3.4.1", 1), aside);
        var final = pending.FullPath;
        await pending.DisposeAsync();  // the process dies: no rename, no row
        await journal.DisposeAsync();
        File.Move(aside, staged);      // the staged file is on disk
        Assert.That(File.Exists(final), Is.False);

        var (store2, journal2) = Open(t, JournalMode.WriteOnce);
        await using (journal2)
        {
            Assert.That(await new ArchiveWriter(store2, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None), Is.EqualTo(1));
            Assert.That(File.ReadAllBytes(final), Is.EqualTo(bytes));
            var indexed = await t.Index.FindInstanceAsync("1.2.3.4.1", CancellationToken.None);
            Assert.That(indexed, Is.Not.Null);
            Assert.That(store2.GetFullPath(indexed!.FilePath), Is.EqualTo(final));
            Assert.That(File.Exists(staged), Is.False, "the staged file is deleted once its copy is durable");
            Assert.That(journal2.HasUnretired, Is.False, "recovery ends with a checkpoint");
        }
    }

    [Test]
    public async Task WriteOnce_a_staged_file_torn_before_the_group_sync_is_not_stored()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t, JournalMode.WriteOnce);
        var aside = Path.Combine(_data, "aside.part");
        var (pending, staged, _) = await StageAndJournalAsync(store, journal, Ct("1.2.3", "1.2.3.4", "1.2.3.4.1", 1), aside);
        var final = pending.FullPath;
        await pending.DisposeAsync();
        await journal.DisposeAsync();
        // A power loss during the sync: the record reached the disk, the staged file only in part (never acknowledged).
        var torn = File.ReadAllBytes(aside);
        File.WriteAllBytes(staged, torn.AsSpan(0, torn.Length - 1000).ToArray());

        var (store2, journal2) = Open(t, JournalMode.WriteOnce);
        await using (journal2)
            Assert.That(await new ArchiveWriter(store2, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None), Is.Zero);
        Assert.That(File.Exists(final), Is.False);
        Assert.That(await t.Index.FindInstanceAsync("1.2.3.4.1", CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task WriteOnce_rows_lost_after_success_are_indexed_again_from_the_files_and_a_replaced_file_keeps_the_newest_copy()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var (store, journal) = Open(t, JournalMode.WriteOnce);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var paths = new List<string>();
        for (int i = 1; i <= 4; i++)
        {
            var (outcome, _, path) = await writer.StoreAsync(Ct("1.2.3", "1.2.3.4", $"1.2.3.4.{i}", i), enqueueWork: false);
            Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
            paths.Add(store.GetFullPath(path!));
        }
        // A re-send of instance 1 with other content (Replace policy): the newest copy must win after replay.
        Assert.That((await writer.StoreAsync(Ct("1.2.3", "1.2.3.4", "1.2.3.4.1", 99), enqueueWork: false)).Outcome.Status, Is.EqualTo(DicomStatus.Success));
        var original = paths.Select(File.ReadAllBytes).ToList();
        Assert.That(Directory.GetFiles(Path.Combine(Root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty, "the staged files were renamed");
        // No checkpoint ran: the rows were committed without sync; a power loss may take them.
        await journal.DisposeAsync();
        await t.ExecuteAsync("DELETE FROM instance WHERE sop_instance_uid IN ('1.2.3.4.1', '1.2.3.4.2', '1.2.3.4.3')");

        var (store2, journal2) = Open(t, JournalMode.WriteOnce);
        await using (journal2)
        {
            // Five records: the first copy of instance 1 no longer matches its file (replaced), so four are stored.
            Assert.That(await new ArchiveWriter(store2, t.Index, new ArchiveServiceOptions()).ReplayJournalAsync(CancellationToken.None), Is.EqualTo(4));
            Assert.That(await t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(4));
            for (int i = 0; i < 4; i++) Assert.That(File.ReadAllBytes(paths[i]), Is.EqualTo(original[i]), $"instance {i + 1}");
            Assert.That(DicomFile.Open(paths[0]).Dataset.GetString(DicomTags.PatientID), Is.EqualTo("P99"));
            Assert.That(Directory.GetFiles(Path.Combine(Root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty);
        }
    }
}
