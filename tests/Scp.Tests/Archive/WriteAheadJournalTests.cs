using EdgeCancer.Scp.Storage;

namespace EdgeCancer.Scp.Tests.Archive;

[TestFixture, Category("Archive")]
public sealed class WriteAheadJournalTests
{
    private const long Size = 2L << 20; // 2 MiB: records up to ~512 KiB, a few laps in a test
    private string _root = "";
    private string JournalPath => Path.Combine(_root, "journal", "ingest.journal");

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("ec-journal").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private WriteAheadJournal Open() => new(JournalPath, Size, _root, _ => Task.CompletedTask);

    private string Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = Path.Combine(_root, $"p{seed}.part");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Read(JournalRecord r)
    {
        using var ms = new MemoryStream();
        r.CopyTo(ms);
        return ms.ToArray();
    }

    [Test]
    public async Task Records_appended_without_a_checkpoint_are_read_back_after_reopening()
    {
        var parts = new[] { Payload(1000, 1), Payload(200_000, 2), Payload(5, 3) };
        await using (var j = Open())
        {
            foreach (var p in parts) await j.AppendAsync(p, new FileInfo(p).Length, CancellationToken.None);
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records.Select(r => r.Seq - records[0].Seq), Is.EqualTo(new long[] { 0, 1, 2 }));
        for (int i = 0; i < parts.Length; i++) Assert.That(Read(records[i]), Is.EqualTo(File.ReadAllBytes(parts[i])));
    }

    [Test]
    public async Task A_checkpoint_retires_materialised_records_but_not_one_still_in_flight()
    {
        var a = Payload(3000, 1);
        var b = Payload(4000, 2);
        var c = Payload(5000, 3);
        await using (var j = Open())
        {
            var ta = await j.AppendAsync(a, 3000, CancellationToken.None);
            j.Materialized(ta);
            var tb = await j.AppendAsync(b, 4000, CancellationToken.None);
            var tc = await j.AppendAsync(c, 5000, CancellationToken.None);
            j.Materialized(tc); // b is not: its file and row may not be written yet
            Assert.That(await j.CheckpointAsync(CancellationToken.None), Is.EqualTo(WriteAheadJournal.HeaderSize + 3000));
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records.Select(r => r.Length), Is.EqualTo(new long[] { 4000, 5000 }), "retirement stops at the oldest record in flight");
    }

    [Test]
    public async Task Replay_stops_at_a_torn_record()
    {
        var parts = new[] { Payload(1000, 1), Payload(2000, 2), Payload(3000, 3) };
        await using (var j = Open())
        {
            foreach (var p in parts) await j.AppendAsync(p, new FileInfo(p).Length, CancellationToken.None);
        }
        // The second record's payload never fully reached the disk: one byte differs from what its CRC covers.
        using (var fs = new FileStream(JournalPath, FileMode.Open, FileAccess.ReadWrite))
        {
            fs.Position = 4096 + (WriteAheadJournal.HeaderSize + 1000) + WriteAheadJournal.HeaderSize + 10;
            int b = fs.ReadByte();
            fs.Position--;
            fs.WriteByte((byte)(b ^ 0xFF));
        }
        await using var again = Open();
        Assert.That(again.ReadUnretired().Select(r => r.Length), Is.EqualTo(new long[] { 1000 }));
    }

    [Test]
    public async Task A_cancelled_record_is_not_replayed()
    {
        var a = Payload(1000, 1);
        var b = Payload(2000, 2);
        await using (var j = Open())
        {
            var ta = await j.AppendAsync(a, 1000, CancellationToken.None);
            await j.AppendAsync(b, 2000, CancellationToken.None);
            await j.CancelAsync(ta, CancellationToken.None);
        }
        await using var again = Open();
        Assert.That(again.ReadUnretired().Select(r => r.Length), Is.EqualTo(new long[] { 2000 }));
    }

    [Test]
    public async Task The_ring_wraps_and_keeps_only_unretired_records_across_laps()
    {
        const int length = 300_000; // six fit in a lap, so twenty laps over the end many times
        await using (var j = Open())
        {
            for (int i = 0; i < 20; i++)
            {
                var t = await j.AppendAsync(Payload(length, i), length, CancellationToken.None);
                j.Materialized(t);
                if (i % 3 == 2) await j.CheckpointAsync(CancellationToken.None);
            }
            await j.CheckpointAsync(CancellationToken.None);
            await j.AppendAsync(Payload(length, 100), length, CancellationToken.None);
            await j.AppendAsync(Payload(length, 101), length, CancellationToken.None);
            await j.AppendAsync(Payload(length, 102), length, CancellationToken.None);
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records, Has.Count.EqualTo(3));
        for (int k = 0; k < 3; k++) Assert.That(Read(records[k]), Is.EqualTo(File.ReadAllBytes(Path.Combine(_root, $"p{100 + k}.part"))));
    }

    [Test]
    public async Task An_append_to_a_full_journal_waits_for_a_checkpoint()
    {
        const int length = 520_000;
        await using var j = Open();
        var tickets = new List<JournalTicket>();
        for (int i = 0; i < 4; i++) tickets.Add(await j.AppendAsync(Payload(length, i), length, CancellationToken.None));
        var blocked = j.AppendAsync(Payload(length, 9), length, CancellationToken.None);
        await Task.Delay(300);
        Assert.That(blocked.IsCompleted, Is.False, "five records of 520 kB do not fit in 2 MiB while none is retired");
        foreach (var t in tickets) j.Materialized(t);
        await j.CheckpointAsync(CancellationToken.None);
        Assert.That(await Task.WhenAny(blocked, Task.Delay(5000)), Is.SameAs(blocked));
    }

    [Test]
    public async Task A_second_process_cannot_open_the_same_journal()
    {
        await using var j = Open();
        Assert.Throws<IOException>(() => Open());
    }

    [Test]
    public async Task A_record_written_after_a_torn_one_is_never_replayed_after_a_second_crash()
    {
        var parts = new[] { Payload(1000, 1), Payload(1000, 2), Payload(1000, 3) };
        await using (var j = Open())
        {
            foreach (var p in parts) await j.AppendAsync(p, 1000, CancellationToken.None);
        }
        // The second record is torn (never synced, never acknowledged); the third reached the disk whole.
        using (var fs = new FileStream(JournalPath, FileMode.Open, FileAccess.ReadWrite))
        {
            fs.Position = 4096 + (WriteAheadJournal.HeaderSize + 1000) + WriteAheadJournal.HeaderSize;
            fs.WriteByte(0xEE);
        }
        await using (var j = Open())
        {
            Assert.That(j.ReadUnretired(), Has.Count.EqualTo(1));
            j.RecoveryReplayed();
            await j.CheckpointAsync(CancellationToken.None, force: true); // the end of recovery
            // A new record of the same size lands exactly where the torn one was, before the next crash.
            await j.AppendAsync(Payload(1000, 4), 1000, CancellationToken.None);
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records, Has.Count.EqualTo(1), "the stale third record must not pass for the continuation");
        Assert.That(Read(records[0]), Is.EqualTo(File.ReadAllBytes(Path.Combine(_root, "p4.part"))));
    }

    [Test]
    public async Task Unretired_records_are_kept_from_checkpoints_and_appends_wait_until_recovery_has_replayed_them()
    {
        await using (var j = Open())
        {
            await j.AppendAsync(Payload(1000, 1), 1000, CancellationToken.None);
        }
        await using var again = Open();
        Assert.That(again.ReadUnretired(), Has.Count.EqualTo(1));
        var early = again.AppendAsync(Payload(1000, 2), 1000, CancellationToken.None);
        // A background checkpoint before recovery is done must not retire the record it has not stored again yet.
        Assert.That(await again.CheckpointAsync(CancellationToken.None), Is.Zero);
        await Task.Delay(200);
        Assert.That(early.IsCompleted, Is.False, "an append (e.g. by the worker role) must not land before recovery ends");
        again.RecoveryReplayed();
        Assert.That(await again.CheckpointAsync(CancellationToken.None, force: true), Is.EqualTo(WriteAheadJournal.HeaderSize + 1000));
        Assert.That(await Task.WhenAny(early, Task.Delay(5000)), Is.SameAs(early));
        await early;
    }

    [Test]
    public async Task Intent_records_are_read_back_with_their_paths_length_and_crc_and_do_not_carry_bytes()
    {
        await using (var j = Open())
        {
            await j.AppendIntentAsync(".incoming/a.part", "1.2/1.2.3/1.2.3.4.dcm", 123_456, 0xDEADBEEF, CancellationToken.None);
            await j.AppendIntentAsync(".incoming/b.part", "1.2/1.2.3/1.2.3.5.dcm", 7, 42, CancellationToken.None);
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records, Has.Count.EqualTo(2));
        Assert.That(records.Select(r => (r.IsIntent, r.StagedPath, r.FinalPath, r.Length, r.FileCrc)), Is.EqualTo(new[]
        {
            (true, ".incoming/a.part", "1.2/1.2.3/1.2.3.4.dcm", 123_456L, 0xDEADBEEFu),
            (true, ".incoming/b.part", "1.2/1.2.3/1.2.3.5.dcm", 7L, 42u),
        }));
        Assert.Throws<InvalidOperationException>(() => Read(records[0]));
        // 48-byte header + 16 + paths: a record is a few hundred bytes, whatever the instance's size.
        Assert.That(again.UsedBytes, Is.LessThan(400));
    }

    [Test]
    public async Task Concurrent_appends_share_group_syncs_and_every_one_is_read_back_after_reopening()
    {
        var parts = Enumerable.Range(1, 16).Select(i => Payload(10_000 + i, 100 + i)).ToList();
        await using (var j = Open())
        {
            // Half data records, half intent records, from 16 concurrent callers: each returns only when durable.
            var appends = parts.Select((p, i) => Task.Run(() => i % 2 == 0
                ? j.AppendAsync(p, new FileInfo(p).Length, CancellationToken.None)
                : j.AppendIntentAsync($".incoming/{i}.part", $"1/2/{i}.dcm", i, (uint)i, CancellationToken.None)));
            var tickets = await Task.WhenAll(appends);
            Assert.That(tickets.Select(t => t.Seq).Distinct().Count(), Is.EqualTo(16));
        }
        await using var again = Open();
        var records = again.ReadUnretired();
        Assert.That(records, Has.Count.EqualTo(16));
        Assert.That(records.Count(r => r.IsIntent), Is.EqualTo(8));
        foreach (var r in records.Where(r => !r.IsIntent)) Assert.That(parts.Any(p => Read(r).AsSpan().SequenceEqual(File.ReadAllBytes(p))), Is.True);
    }
}
