namespace EdgeCancer.Viewer.Imaging;

/// <summary>A response body kept for reuse: the bytes and the headers that describe them.</summary>
public sealed record CachedImage(byte[] Body, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    /// <summary>Bytes held, body plus a small allowance for the entry itself.</summary>
    public long Size => Body.LongLength + 256;
}

/// <summary>
/// Least-recently-used store of decoded frames (modality values as served by <c>/pixels</c>) and rendered PNGs,
/// bounded by a memory budget (<see cref="ViewerOptions.ImageCacheMegabytes"/>) rather than a count: scrolling a
/// 300-slice CT of 512 × 512 frames needs about 150 MiB. Keys name the archived file version, so a re-stored
/// instance never serves stale pixels. Thread-safe.
/// </summary>
public sealed class DecodedImageCache(long budgetBytes)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, CachedImage Value)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, CachedImage Value)> _order = new();
    private readonly Lock _gate = new();
    private long _bytes;
    private long _hits, _misses;

    /// <summary>Memory budget in bytes.</summary>
    public long Budget => budgetBytes;

    /// <summary>Bytes held now.</summary>
    public long Bytes { get { lock (_gate) return _bytes; } }

    /// <summary>Entries held now.</summary>
    public int Count { get { lock (_gate) return _index.Count; } }

    /// <summary>Lookups that found an entry, and that did not.</summary>
    public (long Hits, long Misses) Statistics { get { lock (_gate) return (_hits, _misses); } }

    public bool Contains(string key)
    {
        lock (_gate) return _index.ContainsKey(key);
    }

    public CachedImage? TryGet(string key)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(key, out var node)) { _misses++; return null; }
            _hits++;
            _order.Remove(node);
            _order.AddFirst(node);
            return node.Value.Value;
        }
    }

    /// <summary>Adds or replaces an entry, evicting the least recently used beyond the budget. An entry larger than the budget is not kept.</summary>
    public void Set(string key, CachedImage value)
    {
        if (value.Size > budgetBytes) return;
        lock (_gate)
        {
            if (_index.Remove(key, out var old))
            {
                _order.Remove(old);
                _bytes -= old.Value.Value.Size;
            }
            _index[key] = _order.AddFirst((key, value));
            _bytes += value.Size;
            while (_bytes > budgetBytes && _order.Last is { } last)
            {
                _order.RemoveLast();
                _index.Remove(last.Value.Key);
                _bytes -= last.Value.Value.Size;
            }
        }
    }
}
