using System.Threading.Channels;
using Dapper;
using EdgeCancer.Scp.Index;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Events;

/// <summary>One subscriber's stream of changed studies (Study Instance UIDs); dispose to unsubscribe.</summary>
public sealed class WorklistSubscription : IDisposable
{
    private readonly WorklistChangeFeed _feed;

    internal WorklistSubscription(WorklistChangeFeed feed)
    {
        _feed = feed;
        // Bounded: a client that stops reading loses the oldest notices, never the node's memory.
        Channel = System.Threading.Channels.Channel.CreateBounded<string>(new BoundedChannelOptions(256)
            { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    }

    internal Channel<string> Channel { get; }

    /// <summary>Changed studies, in the order they were seen.</summary>
    public ChannelReader<string> Reader => Channel.Reader;

    public void Dispose()
    {
        _feed.Remove(this);
        Channel.Writer.TryComplete();
    }
}

/// <summary>
/// Detects worklist changes from the index, so it works when the SCP and the inference worker run in other processes
/// sharing the database: one poll per <see cref="ViewerOptions.EventPollInterval"/> for the whole node (not one per
/// client), only while someone listens, of studies whose <c>updated_at</c> moved (an instance or SR stored), AI results
/// created and corrections made since the last poll. Each changed study is fanned out to every subscriber.
/// </summary>
/// <remarks>
/// Timestamps are written by other processes and transactions may commit out of order, so each poll looks back
/// <see cref="Lookback"/> before the newest value seen and remembers what it already announced in that window.
/// </remarks>
public sealed class WorklistChangeFeed(SqlArchiveIndex index, IOptions<ViewerOptions> options, ILogger<WorklistChangeFeed> logger) : BackgroundService
{
    /// <summary>How far before the newest seen timestamp each poll looks again.</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<WorklistSubscription> _subscribers = [];
    private Watermarks? _marks;
    private readonly Dictionary<(char Kind, string Study), long> _announced = [];

    /// <summary>Subscribers now.</summary>
    public int SubscriberCount { get { lock (_gate) return _subscribers.Count; } }

    /// <summary>Polls run so far (for tests and diagnostics).</summary>
    public long Polls { get; private set; }

    public WorklistSubscription Subscribe()
    {
        var s = new WorklistSubscription(this);
        lock (_gate) _subscribers.Add(s);
        return s;
    }

    internal void Remove(WorklistSubscription s)
    {
        lock (_gate) _subscribers.Remove(s);
    }

    private sealed record Watermarks(long StudyUpdated, long AiCreated, long CorrectionId);

    private sealed record Change
    {
        public string K { get; init; } = "";
        public string Study { get; init; } = "";
        public long V { get; init; }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EventPollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (SubscriberCount == 0)
                {
                    // Nobody listens: forget the position; a new listener loads the worklist and hears later changes.
                    _marks = null;
                    _announced.Clear();
                    continue;
                }
                try
                {
                    await PollAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
                {
                    ViewerLog.ChangeFeedFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            lock (_gate)
                foreach (var s in _subscribers) s.Channel.Writer.TryComplete();
        }
    }

    /// <summary>One poll: reads what changed and notifies every subscriber of each changed study once.</summary>
    internal async Task PollAsync(CancellationToken ct)
    {
        await using var c = await index.OpenReadConnectionAsync(ct).ConfigureAwait(false);
        Polls++;
        bool baseline = _marks is null;
        if (_marks is null)
        {
            var (s, a, k) = await c.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
                """
                SELECT COALESCE((SELECT MAX(updated_at) FROM study), 0), COALESCE((SELECT MAX(created_at) FROM ai_result), 0),
                       COALESCE((SELECT MAX(id) FROM corrections), 0)
                """, cancellationToken: ct)).ConfigureAwait(false);
            _marks = new Watermarks(s, a, k);
        }
        long lookback = (long)Lookback.TotalMilliseconds;
        var m = _marks;
        var rows = await c.QueryAsync<Change>(new CommandDefinition(
            """
            SELECT 's' AS K, study_instance_uid AS Study, updated_at AS V FROM study WHERE updated_at > @s
            UNION ALL
            SELECT 'a' AS K, study_instance_uid AS Study, MAX(created_at) AS V FROM ai_result WHERE created_at > @a GROUP BY study_instance_uid
            UNION ALL
            SELECT 'c' AS K, study_instance_uid AS Study, MAX(id) AS V FROM corrections WHERE id > @k GROUP BY study_instance_uid
            """, new { s = m.StudyUpdated - lookback, a = m.AiCreated - lookback, k = m.CorrectionId }, cancellationToken: ct)).ConfigureAwait(false);

        var changed = new List<string>();
        long ms = m.StudyUpdated, ma = m.AiCreated, mk = m.CorrectionId;
        foreach (var r in rows)
        {
            char kind = r.K[0];
            // Seen before in the look-back window: not a change. Unseen, even below the watermark: a late commit.
            if (_announced.TryGetValue((kind, r.Study), out var seen) && seen >= r.V) continue;
            _announced[(kind, r.Study)] = r.V;
            if (kind == 's') ms = Math.Max(ms, r.V);
            else if (kind == 'a') ma = Math.Max(ma, r.V);
            else mk = Math.Max(mk, r.V);
            // The first poll only learns what is already there.
            if (!baseline && !changed.Contains(r.Study)) changed.Add(r.Study);
        }
        _marks = new Watermarks(ms, ma, mk);
        // Forget what fell out of the look-back window (the query no longer returns it); corrections go by id.
        foreach (var key in _announced.Where(p => p.Key.Kind == 'c' || p.Value <= (p.Key.Kind == 's' ? ms : ma) - lookback).Select(p => p.Key).ToList())
            _announced.Remove(key);
        if (changed.Count == 0) return;
        lock (_gate)
            foreach (var sub in _subscribers)
                foreach (var study in changed) sub.Channel.Writer.TryWrite(study);
    }
}
