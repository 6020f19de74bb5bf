using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Tests.Archive;

/// <summary>
/// SQLite's store path commits the instances queued while one store held the write lock in one transaction; each keeps
/// its own outcome, and a failure of one (its rename) does not fail the others.
/// </summary>
[Category("Archive")]
public sealed class GroupCommitTests
{
    private TestIndex _t = null!;

    [SetUp]
    public async Task Open() => _t = await TestIndex.CreateAsync(IndexDialect.Sqlite);

    [TearDown]
    public async Task Close() => await _t.DisposeAsync();

    // The first store's rename waits on a gate while it holds the write lock, so the stores started meanwhile queue.
    private async Task<(Task<StoreResult> First, TaskCompletionSource Gate)> HoldTheLockAsync()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(() => _t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", "1.1.1.0"), false, CancellationToken.None,
            async _ => { entered.TrySetResult(); await gate.Task; }));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        return (first, gate);
    }

    [Test]
    public async Task Stores_queued_behind_a_store_commit_together_each_with_its_outcome()
    {
        var index = _t.Index;
        await _t.Index.StoreInstanceAsync(Records.Instance("9.9", "9.9.9", "1.1.1.5"), false, CancellationToken.None);
        var (first, gate) = await HoldTheLockAsync();
        long batchesBefore = index.StoreBatches;
        var renamed = new System.Collections.Concurrent.ConcurrentBag<string>();
        var queued = Enumerable.Range(1, 10).Select(i =>
        {
            // 1.1.1.5 is already stored in another study: a hierarchy conflict, whose rename must not run.
            var sop = $"1.1.1.{i}";
            return Task.Run(() => _t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", sop), enqueueWork: true, CancellationToken.None,
                _ => { renamed.Add(sop); return ValueTask.CompletedTask; }));
        }).ToList();
        await Task.Delay(300);
        Assert.That(queued.Any(t => t.IsCompleted), Is.False, "they wait for the store that holds the lock");
        gate.SetResult();
        var results = await Task.WhenAll(queued).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.That((await first).Outcome, Is.EqualTo(StoreOutcome.Added));

        for (int i = 1; i <= 10; i++)
            Assert.That(results[i - 1].Outcome, Is.EqualTo(i == 5 ? StoreOutcome.HierarchyConflict : StoreOutcome.Added), $"1.1.1.{i}");
        Assert.That(renamed.Order(), Is.EqualTo(Enumerable.Range(1, 10).Where(i => i != 5).Select(i => $"1.1.1.{i}").Order()));
        Assert.That(results.Where(r => r.Outcome == StoreOutcome.Added).Select(r => r.WorkItemId).Distinct().Count(), Is.EqualTo(9), "each its own work item");
        Assert.That(await _t.CountAsync("SELECT COUNT(*) FROM instance i JOIN series se ON i.series_fk = se.pk WHERE se.series_instance_uid = '1.1.1'"), Is.EqualTo(10));
        Assert.That(index.StoreBatches - batchesBefore, Is.LessThanOrEqualTo(3), "the first store, then the queued ones together");
    }

    [Test]
    public async Task A_failed_rename_fails_only_its_own_store_in_a_batch()
    {
        var (first, gate) = await HoldTheLockAsync();
        var queued = Enumerable.Range(1, 6).Select(i => Task.Run(() => _t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", $"1.1.1.{i}"), false, CancellationToken.None,
            _ => i == 3 ? throw new IOException("rename failed: disk gone") : ValueTask.CompletedTask))).ToList();
        await Task.Delay(300);
        gate.SetResult();
        await first;
        for (int i = 1; i <= 6; i++)
        {
            var task = queued[i - 1];
            if (i == 3) Assert.That(async () => await task.WaitAsync(TimeSpan.FromSeconds(20)), Throws.InstanceOf<IOException>().With.Message.Contains("disk gone"));
            else Assert.That((await task.WaitAsync(TimeSpan.FromSeconds(20))).Outcome, Is.EqualTo(StoreOutcome.Added));
        }
        Assert.That(await _t.CountAsync("SELECT COUNT(*) FROM instance WHERE sop_instance_uid = '1.1.1.3'"), Is.EqualTo(0));
        Assert.That(await _t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(6));
    }

    [Test]
    public async Task A_row_that_breaks_a_constraint_fails_only_its_own_store_in_a_batch()
    {
        // One sender's bad values must not fail the other associations' instances committed with it.
        var (first, gate) = await HoldTheLockAsync();
        var queued = Enumerable.Range(1, 5).Select(i => Task.Run(() => _t.Index.StoreInstanceAsync(
            Records.Instance("1.1", "1.1.1", $"1.1.1.{i}", sopClass: i == 2 ? null! : Records.CtImage), false, CancellationToken.None))).ToList();
        await Task.Delay(300);
        gate.SetResult();
        await first;
        for (int i = 1; i <= 5; i++)
        {
            var task = queued[i - 1];
            if (i == 2) Assert.That(async () => await task.WaitAsync(TimeSpan.FromSeconds(20)), Throws.InstanceOf<Microsoft.Data.Sqlite.SqliteException>());
            else Assert.That((await task.WaitAsync(TimeSpan.FromSeconds(20))).Outcome, Is.EqualTo(StoreOutcome.Added));
        }
        Assert.That(await _t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(5), "the first store and the four good ones");
    }

    [Test]
    public async Task A_store_queued_behind_another_write_is_not_left_waiting()
    {
        // Other writes (work claims, deletions) take the same lock without leading the store queue.
        var index = _t.Index;
        var stores = Enumerable.Range(1, 20).Select(i => Task.Run(() => _t.Index.StoreInstanceAsync(Records.Instance("1.1", "1.1.1", $"1.1.1.{i}"), true, CancellationToken.None))).ToList();
        var claims = Enumerable.Range(1, 20).Select(_ => Task.Run(() => _t.Index.ClaimAsync("w", 1, CancellationToken.None))).ToList();
        await Task.WhenAll(stores).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(claims).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(await _t.CountAsync("SELECT COUNT(*) FROM instance"), Is.EqualTo(20));
        Assert.That(index.StoreBatches, Is.GreaterThan(0));
    }
}
