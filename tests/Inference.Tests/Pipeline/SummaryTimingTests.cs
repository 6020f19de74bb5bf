using EdgeCancer.Inference.Pipeline;

namespace EdgeCancer.Inference.Tests.Pipeline;

/// <summary>When a series is complete for its summary, on a fake clock (Unix milliseconds).</summary>
[TestFixture, Category("Pipeline")]
public sealed class SummaryTimingTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);
    private const long Arrival = 1_000_000;

    [Test]
    public void Open_work_keeps_the_series_open_however_long_it_has_been_quiet() =>
        Assert.That(SummaryTiming.IsComplete(Arrival + 3_600_000, Arrival, Arrival, openWork: 1, Quiet), Is.False);

    [Test]
    public void The_quiet_period_runs_from_the_last_arrival_not_from_the_last_result()
    {
        // Last image arrived at t, analysis finished 8 s later: complete at t + 10 s, not t + 18 s.
        long lastResult = Arrival + 8_000;
        Assert.That(SummaryTiming.IsComplete(Arrival + 9_999, lastResult, Arrival, 0, Quiet), Is.False);
        Assert.That(SummaryTiming.IsComplete(Arrival + 10_000, lastResult, Arrival, 0, Quiet), Is.True);
    }

    [Test]
    public void Analysis_longer_than_the_quiet_period_is_summarised_as_soon_as_the_last_item_is_done()
    {
        long lastResult = Arrival + 25_000;
        Assert.That(SummaryTiming.IsComplete(lastResult + 1, lastResult, Arrival, 0, Quiet), Is.True);
        Assert.That(SummaryTiming.IsComplete(lastResult + 1, lastResult, Arrival, 1, Quiet), Is.False, "but not while an item is still open");
    }

    [Test]
    public void Without_a_known_arrival_the_last_result_stands_in() =>
        Assert.That(SummaryTiming.IsComplete(Arrival + 9_000, Arrival, null, 0, Quiet), Is.False);

    [Test]
    public void A_zero_quiet_period_completes_as_soon_as_the_work_is_done() =>
        Assert.That(SummaryTiming.IsComplete(Arrival, Arrival, Arrival, 0, TimeSpan.Zero), Is.True);
}
