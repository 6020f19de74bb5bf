namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// When a series counts as complete for its summary: no open work item of the series, and the quiet period passed
/// since the last image arrived. The quiet period is a guard against more images of the series still coming; it runs
/// from the last arrival, in parallel with the analysis, so a series whose analysis outlasts it is summarised as soon
/// as its last item is done. All times are Unix milliseconds.
/// </summary>
public static class SummaryTiming
{
    /// <summary>True when <paramref name="timeMs"/> lies at least <paramref name="quiet"/> before <paramref name="nowMs"/>.</summary>
    public static bool QuietSince(long nowMs, long timeMs, TimeSpan quiet) => timeMs <= nowMs - (long)quiet.TotalMilliseconds;

    /// <summary>
    /// True when the series may be summarised now. <paramref name="lastArrivalMs"/> is the arrival of its last image
    /// (null: unknown, then the last result stands in for it, which is never earlier).
    /// </summary>
    public static bool IsComplete(long nowMs, long lastResultMs, long? lastArrivalMs, long openWork, TimeSpan quiet)
    {
        if (openWork > 0) return false;
        if (QuietSince(nowMs, lastResultMs, quiet)) return true;
        return QuietSince(nowMs, lastArrivalMs ?? lastResultMs, quiet);
    }
}
