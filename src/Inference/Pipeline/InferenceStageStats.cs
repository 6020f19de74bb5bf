using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>Stages of one image's on-arrival processing, timed separately.</summary>
public enum InferenceStage
{
    /// <summary>Claiming work items (per batch, shared by its items).</summary>
    Claim,
    /// <summary>Index look-up of the instance.</summary>
    Lookup,
    /// <summary>Reading the Part 10 file (dataset with pixel data).</summary>
    Read,
    /// <summary>The models (decode to HU, windows, resize, ONNX passes).</summary>
    Analyse,
    /// <summary>Building the per-image SR dataset.</summary>
    SrBuild,
    /// <summary>Storing the SR through the archive (staging, fsync, index transaction).</summary>
    SrStore,
    /// <summary>Recording the result, queueing follow-up work and marking the item done (one index transaction).</summary>
    Result,
}

/// <summary>
/// Time spent per <see cref="InferenceStage"/> since the last <see cref="TakeSnapshot"/> (logged when the queue drains)
/// and as the <c>edgecancer.inference.stage.duration</c> histogram (milliseconds, tag <c>stage</c>).
/// </summary>
public sealed class InferenceStageStats : IDisposable
{
    private static readonly int StageCount = Enum.GetValues<InferenceStage>().Length;
    private readonly long[] _ticks = new long[StageCount];
    private readonly long[] _counts = new long[StageCount];
    private long _images;
    private long _firstStart;
    private readonly Meter _meter = new("EdgeCancer.Inference.Pipeline");
    private readonly Histogram<double> _duration;
    private readonly KeyValuePair<string, object?>[][] _tags;

    /// <summary>Creates the counters and the histogram.</summary>
    public InferenceStageStats()
    {
        _duration = _meter.CreateHistogram<double>("edgecancer.inference.stage.duration", "ms", "Time of one stage of on-arrival inference");
        _tags = Enum.GetValues<InferenceStage>().Select(s => new[] { new KeyValuePair<string, object?>("stage", s.ToString().ToLowerInvariant()) }).ToArray();
    }

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) to a stage; returns now.</summary>
    public long Add(InferenceStage stage, long startTimestamp)
    {
        long now = Stopwatch.GetTimestamp();
        long elapsed = now - startTimestamp;
        Interlocked.CompareExchange(ref _firstStart, startTimestamp, 0);
        Interlocked.Add(ref _ticks[(int)stage], elapsed);
        Interlocked.Increment(ref _counts[(int)stage]);
        _duration.Record(elapsed * 1000.0 / Stopwatch.Frequency, _tags[(int)stage]);
        return now;
    }

    /// <summary>Counts a finished image.</summary>
    public void ImageDone() => Interlocked.Increment(ref _images);

    /// <summary>Images finished since the last snapshot.</summary>
    public long Images => Interlocked.Read(ref _images);

    /// <summary>
    /// Totals since the last snapshot, and resets them: images, wall seconds from the first timed stage, and per stage
    /// the mean milliseconds per occurrence and the total seconds (summed over the workers).
    /// </summary>
    public InferenceStageSnapshot TakeSnapshot()
    {
        long start = Interlocked.Exchange(ref _firstStart, 0);
        double wall = start == 0 ? 0 : Stopwatch.GetElapsedTime(start).TotalSeconds;
        var stages = new List<(InferenceStage, double, double)>();
        for (int i = 0; i < StageCount; i++)
        {
            long t = Interlocked.Exchange(ref _ticks[i], 0), n = Interlocked.Exchange(ref _counts[i], 0);
            double total = t / (double)Stopwatch.Frequency;
            stages.Add(((InferenceStage)i, n == 0 ? 0 : total * 1000 / n, total));
        }
        return new InferenceStageSnapshot(Interlocked.Exchange(ref _images, 0), wall, stages);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

/// <summary>Per-stage totals over a stretch of work.</summary>
public sealed record InferenceStageSnapshot(long Images, double WallSeconds, IReadOnlyList<(InferenceStage Stage, double MeanMs, double TotalSeconds)> Stages)
{
    /// <summary>One line: <c>images=300 wall=25.1s images/s=11.9 claim=0.4ms/0.2s lookup=…</c>.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"images={Images} wall={WallSeconds:0.0}s images/s={(WallSeconds > 0 ? Images / WallSeconds : 0):0.0} ") +
        string.Join(' ', Stages.Select(s => FormattableString.Invariant($"{s.Stage.ToString().ToLowerInvariant()}={s.MeanMs:0.0}ms/{s.TotalSeconds:0.0}s")));
}
