using System.Threading.Channels;
using EdgeCancer.Scp.Index;
using EdgeCancer.Viewer.Api;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>
/// Decodes the neighbours of a requested image (<see cref="ViewerOptions.PrefetchSlices"/> on each side, in Instance
/// Number order) into the <see cref="DecodedImageCache"/> in the background, so scrolling on finds them ready. One
/// worker; requests queue in a small bounded channel that drops the oldest when the user scrolls faster than it decodes.
/// </summary>
public sealed class FramePrefetcher(IArchiveIndex index, ArchiveQueries queries, PixelFrames frames, IOptions<ViewerOptions> options, TimeProvider time) : BackgroundService
{
    private readonly Channel<(string Series, string Sop)> _requests = Channel.CreateBounded<(string, string)>(
        new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Dictionary<string, (DateTimeOffset At, List<string> Sops)> _order = new(StringComparer.Ordinal);
    // The position last asked for per series, to tell the scroll direction (only the single worker touches it).
    private readonly Dictionary<string, int> _last = new(StringComparer.Ordinal);

    /// <summary>Asks for the neighbours of <paramref name="sopInstanceUid"/> to be decoded.</summary>
    public void Request(string seriesInstanceUid, string sopInstanceUid)
    {
        if (options.Value.PrefetchSlices > 0 && options.Value.ImageCacheMegabytes > 0) _requests.Writer.TryWrite((seriesInstanceUid, sopInstanceUid));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (series, sop) in _requests.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await PrefetchAsync(series, sop, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
                {
                    // Prefetch is an optimisation: the request itself reports any real problem.
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task PrefetchAsync(string series, string sop, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!_order.TryGetValue(series, out var entry) || now - entry.At > TimeSpan.FromSeconds(30))
        {
            var found = await queries.InstancesAsync(series, ct).ConfigureAwait(false);
            if (found is null) return;
            if (_order.Count >= 64) _order.Clear();
            _order[series] = entry = (now, found.Value.Instances.Where(i => i.Rows is not null).Select(i => i.SopInstanceUid).ToList());
        }
        int at = entry.Sops.IndexOf(sop);
        if (at < 0) return;
        int direction = _last.TryGetValue(series, out var last) && last != at ? Math.Sign(at - last) : 0;
        if (_last.Count >= 64) _last.Clear();
        _last[series] = at;
        foreach (int i in Neighbours(at, direction, options.Value.PrefetchSlices))
        {
            if (i < 0 || i >= entry.Sops.Count) continue;
            // A newer request (the user scrolled on) wins over finishing this neighbourhood.
            if (_requests.Reader.Count > 0) return;
            var neighbour = await index.FindInstanceAsync(entry.Sops[i], ct).ConfigureAwait(false);
            if (neighbour is not null) await frames.WarmAsync(neighbour, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Positions to warm around <paramref name="at"/>: without a known direction <paramref name="n"/> on each side,
    /// nearest first; while scrolling, 2n ahead in the scroll direction and one behind.
    /// </summary>
    internal static IEnumerable<int> Neighbours(int at, int direction, int n)
    {
        if (direction == 0)
        {
            for (int d = 1; d <= n; d++) { yield return at + d; yield return at - d; }
            yield break;
        }
        for (int d = 1; d <= 2 * n; d++) yield return at + direction * d;
        yield return at - direction;
    }
}
