using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Tests.Archive;

[Category("Archive")]
public sealed class FileStoreTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Path.Combine(Path.GetTempPath(), "ec-store-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void DeleteRoot()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private FileStore Store(long watermark = 0, bool fast = false, FileSyncQueue? queue = null) =>
        new(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = watermark, FastMode = fast }),
            NullLogger<FileStore>.Instance, queue);

    [Test]
    public async Task Commit_renames_the_part_file_to_the_study_series_instance_path()
    {
        var store = Store();
        var begin = store.BeginWrite("1.2.3", "1.2.3.4", "1.2.3.4.5");
        Assert.That(begin.Success, Is.True, begin.Message);
        await using var write = begin.Write!;
        var bytes = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await write.Stream.WriteAsync(bytes);
        var folder = Path.Combine(_root, "1.2.3", "1.2.3.4");
        Assert.That(Directory.GetFiles(folder).Single(), Does.EndWith(".part"), "before commit only the .part exists");
        await write.CommitAsync(CancellationToken.None);

        Assert.That(write.RelativePath, Is.EqualTo("1.2.3/1.2.3.4/1.2.3.4.5.dcm"));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "1.2.3.4.5.dcm" }));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(folder, "1.2.3.4.5.dcm")), Is.EqualTo(bytes));
    }

    [Test]
    public async Task Commit_over_an_existing_file_replaces_it_whole()
    {
        var store = Store();
        foreach (var content in new[] { "first copy, longer than the second", "second" })
        {
            await using var write = store.BeginWrite("1.2", "1.2.3", "1.2.3.4").Write!;
            await write.Stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(content));
            await write.CommitAsync(CancellationToken.None);
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "1.2", "1.2.3", "1.2.3.4.dcm")), Is.EqualTo("second"));
    }

    [Test]
    public async Task Abandoned_write_leaves_no_file()
    {
        var store = Store();
        await using (var write = store.BeginWrite("1.2.3", "1.2.3.4", "1.2.3.4.6").Write!)
        {
            await write.Stream.WriteAsync(new byte[4096]);
        }
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [TestCase("../1.2", UidProblem.EmptyComponent)]
    [TestCase("1.2/../3", UidProblem.InvalidCharacter)]
    [TestCase("1.2/3", UidProblem.InvalidCharacter)]
    [TestCase("1..2", UidProblem.EmptyComponent)]
    [TestCase("1.2.", UidProblem.EmptyComponent)]
    [TestCase("", UidProblem.Missing)]
    public void Path_traversal_and_malformed_UIDs_are_refused_before_any_path_is_built(string uid, UidProblem expected)
    {
        var store = Store();
        foreach (var (study, series, sop) in new[] { (uid, "1.2", "1.3"), ("1.2", uid, "1.3"), ("1.2", "1.3", uid) })
        {
            var begin = store.BeginWrite(study, series, sop);
            Assert.That(begin.Error, Is.EqualTo(FileStoreError.InvalidUid));
            Assert.That(begin.Write, Is.Null);
            Assert.That(StorageUid.Check(uid), Is.EqualTo(expected));
        }
        Assert.That(Directory.GetFileSystemEntries(_root), Is.Empty, "nothing may be created for a refused UID");
        Assert.That(Directory.Exists(Path.Combine(_root, "..", "1.2")), Is.False);
    }

    [Test]
    public void UID_longer_than_64_characters_is_refused()
    {
        var uid = "1." + new string('2', 63);
        var begin = Store().BeginWrite("1.2", "1.3", uid);
        Assert.That(begin.Error, Is.EqualTo(FileStoreError.InvalidUid));
        Assert.That(begin.Message, Does.Contain("longer than 64"));
    }

    [Test]
    public void Free_space_below_the_watermark_refuses_the_write()
    {
        var store = Store(watermark: long.MaxValue);
        var begin = store.BeginWrite("1.2", "1.3", "1.4");
        Assert.That(begin.Error, Is.EqualTo(FileStoreError.BelowWatermark));
        Assert.That(store.CheckFreeSpace().AvailableBytes, Is.GreaterThan(0).And.LessThan(long.MaxValue));
        Assert.That(Directory.GetFileSystemEntries(_root), Is.Empty);
    }

    [Test]
    public void Free_space_above_the_watermark_allows_the_write()
    {
        var begin = Store(watermark: 1024).BeginWrite("1.2", "1.3", "1.4");
        Assert.That(begin.Success, Is.True);
        begin.Write!.DisposeAsync().AsTask().Wait();
    }

    [Test]
    public async Task Leftover_part_files_are_deleted_at_start()
    {
        var folder = Path.Combine(_root, "1.2", "1.3");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "1.4.dcm.abc.part"), "half");
        await File.WriteAllTextAsync(Path.Combine(folder, "1.5.dcm"), "whole");
        var store = Store();
        Assert.That(store.DeleteLeftoverPartFiles(), Is.EqualTo(1));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Is.EqualTo(new[] { "1.5.dcm" }));
    }

    [Test]
    public async Task Fast_mode_commits_without_waiting_and_the_queue_syncs_later()
    {
        var queue = new FileSyncQueue(NullLogger<FileSyncQueue>.Instance);
        var store = Store(fast: true, queue: queue);
        await using (var write = store.BeginWrite("1.2", "1.3", "1.4").Write!)
        {
            await write.Stream.WriteAsync(new byte[] { 1, 2, 3 });
            await write.CommitAsync(CancellationToken.None);
        }
        Assert.That(File.Exists(Path.Combine(_root, "1.2", "1.3", "1.4.dcm")), Is.True);
        Assert.That(queue.Pending, Is.EqualTo(1));
        await queue.FlushAsync(CancellationToken.None);
        Assert.That(queue.Pending, Is.EqualTo(0));
    }

    [Test]
    public async Task A_series_folder_removed_between_two_instances_is_made_again_at_commit()
    {
        var store = Store();
        foreach (var (sop, removeFirst) in new[] { ("1.2.3.1", false), ("1.2.3.2", true) })
        {
            if (removeFirst) Directory.Delete(Path.Combine(_root, "1.2", "1.2.3"), recursive: true);
            await using var write = store.BeginIncoming().Write!;
            await write.Stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(sop));
            Assert.That(store.AssignDestination(write, "1.2", "1.2.3", sop, out var message), Is.EqualTo(UidProblem.None), message);
            await write.CommitAsync(CancellationToken.None);
        }
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_root, "1.2", "1.2.3", "1.2.3.2.dcm")), Is.EqualTo("1.2.3.2"));
        Assert.That(Directory.GetFiles(Path.Combine(_root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty, "no staged file left behind");
    }

    [Test]
    public async Task Staged_instances_written_at_once_get_distinct_part_files()
    {
        var store = Store();
        var writes = Enumerable.Range(0, 50).Select(_ => store.BeginIncoming().Write!).ToList();
        Assert.That(writes.Select(w => w.PartPath).Distinct().Count(), Is.EqualTo(50));
        Assert.That(Directory.GetFiles(Path.Combine(_root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Has.Length.EqualTo(50));
        foreach (var w in writes) await w.DisposeAsync();
        Assert.That(Directory.GetFiles(Path.Combine(_root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty);
    }

    // Fast mode stages a file without a name (O_TMPFILE): nothing is in the staging folder while it is written, its
    // bytes are readable through PartPath, the commit links it into place (replacing an older copy atomically), and a
    // write disposed without commit leaves nothing anywhere.
    [Test]
    public async Task Fast_mode_stages_a_file_without_a_name_until_its_commit_links_it_into_place()
    {
        var queue = new FileSyncQueue(NullLogger<FileSyncQueue>.Instance);
        var store = Store(fast: true, queue: queue);
        var incoming = Path.Combine(_root, FileStore.IncomingFolder);
        var series = Path.Combine(_root, "1.2", "1.2.3");
        foreach (var (content, replaces) in new[] { ("first copy", false), ("second copy, longer than the first", true) })
        {
            await using var write = store.BeginIncoming().Write!;
            var bytes = System.Text.Encoding.ASCII.GetBytes(content);
            await write.Stream.WriteAsync(bytes);
            await write.Stream.FlushAsync();
            Assert.That(Directory.GetFiles(incoming, "*", SearchOption.AllDirectories), Is.Empty, "the staged file has no name");
            Assert.That(write.PartPath, Does.StartWith("/proc/self/fd/"));
            Assert.That(await File.ReadAllBytesAsync(write.PartPath), Is.EqualTo(bytes), "readable while staged");
            Assert.That(store.AssignDestination(write, "1.2", "1.2.3", "1.2.3.4", out var message), Is.EqualTo(UidProblem.None), message);
            Assert.That(File.Exists(Path.Combine(series, "1.2.3.4.dcm")), Is.EqualTo(replaces));
            await write.CommitAsync(CancellationToken.None);
            Assert.That(await File.ReadAllTextAsync(Path.Combine(series, "1.2.3.4.dcm")), Is.EqualTo(content));
        }
        Assert.That(Directory.GetFiles(series).Select(Path.GetFileName), Is.EqualTo(new[] { "1.2.3.4.dcm" }), "the replacement left no name beside it");

        await using (var abandoned = store.BeginIncoming().Write!)
        {
            await abandoned.Stream.WriteAsync(new byte[100_000]);
            Assert.That(store.AssignDestination(abandoned, "1.2", "1.2.3", "1.2.3.5", out _), Is.EqualTo(UidProblem.None));
        }
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root, f)),
            Is.EqualTo(new[] { Path.Combine("1.2", "1.2.3", "1.2.3.4.dcm") }), "an abandoned write leaves nothing");
    }

    [TestCase(0, 0, 200)]         // just queued: wait for the quiet period
    [TestCase(150, 1000, 50)]     // 150 ms since the last file: 50 ms more
    [TestCase(250, 1000, 0)]      // quiet for 250 ms: sync now
    [TestCase(100, 5000, 0)]      // still arriving, but the first file has waited 5 s: sync now
    [TestCase(100, 4950, 50)]     // still arriving; the longest wait ends first
    public void Fast_mode_syncs_after_a_quiet_period_or_at_the_longest_delay(int sinceLast, int sinceFirst, int expectedMs)
    {
        var options = new FileStoreOptions { FastModeQuietPeriod = TimeSpan.FromMilliseconds(200), FastModeFlushInterval = TimeSpan.FromSeconds(5) };
        long now = 1_000_000;
        var wait = BackgroundFlusher.DelayBeforeSync(options, lastQueuedAt: now - sinceLast, firstQueuedAt: now - sinceFirst, now);
        Assert.That(wait, Is.EqualTo(TimeSpan.FromMilliseconds(expectedMs)));
    }

    [Test]
    public async Task The_flusher_syncs_a_burst_once_it_has_ended()
    {
        var queue = new FileSyncQueue(NullLogger<FileSyncQueue>.Instance);
        var store = Store(fast: true, queue: queue);
        var flusher = new BackgroundFlusher(queue, Options.Create(new FileStoreOptions { FastModeQuietPeriod = TimeSpan.FromMilliseconds(100), FastModeFlushInterval = TimeSpan.FromSeconds(30) }));
        await flusher.StartAsync(CancellationToken.None);
        try
        {
            for (int i = 0; i < 5; i++)
            {
                await using var write = store.BeginWrite("1.2", "1.3", $"1.4.{i}").Write!;
                await write.Stream.WriteAsync(new byte[] { 1, 2, 3 });
                await write.CommitAsync(CancellationToken.None);
            }
            Assert.That(queue.Pending, Is.EqualTo(5));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (queue.Pending > 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.That(queue.Pending, Is.EqualTo(0), "synced after the quiet period, long before the 30 s interval");
        }
        finally { await flusher.StopAsync(CancellationToken.None); }
    }

    [Test]
    public void Directory_fsync_through_libc_succeeds_on_a_real_folder()
    {
        Directory.CreateDirectory(_root);
        Assert.DoesNotThrow(() => NativeSync.SyncDirectory(_root));
        Assert.Throws<IOException>(() => NativeSync.SyncDirectory(Path.Combine(_root, "missing")));
    }
}
