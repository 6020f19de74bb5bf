using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Tests.Archive;

[TestFixture, Category("Archive")]
public sealed class WorkerIdsTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static bool Orphaned(string worker, TimeSpan claimedBeforeStart, params int[] running) =>
        WorkerIds.IsOrphaned(worker, Start - claimedBeforeStart, "node-a", 1000, Start, pid => running.Contains(pid));

    [Test]
    public void A_claim_by_a_process_of_this_machine_that_is_not_running_is_orphaned()
    {
        Assert.That(Orphaned("node-a/31853/a61aab4e", TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(Orphaned("heatmap/node-a/31853/a61aab4e", TimeSpan.FromMinutes(1)), Is.True);
        Assert.That(Orphaned("fwd/NODE-A/31853/a61aab4e", TimeSpan.FromMinutes(1)), Is.True, "host names compare without case");
    }

    [Test]
    public void A_claim_by_a_running_process_or_another_machine_is_not()
    {
        Assert.That(Orphaned("node-a/31853/a61aab4e", TimeSpan.FromMinutes(1), 31853), Is.False);
        Assert.That(Orphaned("node-b/31853/a61aab4e", TimeSpan.FromMinutes(1)), Is.False);
        Assert.That(Orphaned("test", TimeSpan.FromMinutes(1)), Is.False);
        Assert.That(Orphaned("node-a/x/a61aab4e", TimeSpan.FromMinutes(1)), Is.False);
    }

    [Test]
    public void This_process_id_is_orphaned_only_for_claims_made_before_this_process_started()
    {
        // A container restarts with the same process id (often 1): the earlier claims are the dead process's.
        Assert.That(Orphaned("node-a/1000/old", TimeSpan.FromSeconds(30), 1000), Is.True);
        Assert.That(Orphaned("node-a/1000/ours", -TimeSpan.FromSeconds(5), 1000), Is.False);
    }

    [Test]
    public void New_ids_name_this_machine_and_process_and_are_not_orphaned_here()
    {
        var id = WorkerIds.New("heatmap");
        Assert.That(id, Does.StartWith($"heatmap/{Environment.MachineName}/{Environment.ProcessId}/"));
        Assert.That(WorkerIds.OrphanedOnThisMachine()(id, DateTimeOffset.UtcNow), Is.False);
        Assert.That(WorkerIds.OrphanedOnThisMachine()($"{Environment.MachineName}/{int.MaxValue}/gone", DateTimeOffset.UtcNow), Is.True, "no process has that id");
    }
}
