namespace EdgeCancer.Inference.Explain;

/// <summary>Identifies a heatmap: one image and one exact model.</summary>
public readonly record struct HeatmapKey(string SopInstanceUid, string Model, string Version, string Sha256);

/// <summary>
/// Heatmaps already computed, by (SOP instance, model version), least recently used evicted beyond the capacity.
/// Computation happens outside the lock; two concurrent requests for the same key may both compute (the first
/// stored wins), which is cheaper than holding a lock for seconds.
/// </summary>
public sealed class HeatmapCache(int capacity = 256)
{
    private readonly Dictionary<HeatmapKey, LinkedListNode<(HeatmapKey Key, Heatmap Map)>> _index = [];
    private readonly LinkedList<(HeatmapKey Key, Heatmap Map)> _order = new();
    private readonly Lock _gate = new();

    /// <summary>Entries held.</summary>
    public int Count { get { lock (_gate) return _index.Count; } }

    /// <summary>The cached heatmap, or null.</summary>
    public Heatmap? TryGet(HeatmapKey key)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(key, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Map;
        }
    }

    /// <summary>The cached heatmap, or computes and stores it.</summary>
    public Heatmap GetOrCompute(HeatmapKey key, Func<Heatmap> compute)
    {
        if (TryGet(key) is { } hit) return hit;
        var map = compute();
        lock (_gate)
        {
            if (_index.TryGetValue(key, out var existing)) return existing.Value.Map;
            _index[key] = _order.AddFirst((key, map));
            while (_index.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _index.Remove(last.Value.Key);
            }
        }
        return map;
    }
}
