namespace EdgeCancer.Inference.Models;

/// <summary>
/// Serves the active versions in a <see cref="ModelRegistry"/> and hot-reloads them: <see cref="RefreshAsync"/>
/// (called by a periodic worker or after <c>models activate</c>) loads a new set when an active version changed and
/// swaps it in atomically; work in flight keeps the set it leased, which closes when that work is done.
/// </summary>
public sealed class ActiveModelProvider : IModelProvider, IDisposable
{
    private readonly ModelRegistry _registry;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private ModelSet _current;

    /// <summary>Loads the active models now (throws <see cref="ModelRejectedException"/> when one is refused).</summary>
    public ActiveModelProvider(ModelRegistry registry)
    {
        _registry = registry;
        _current = ModelSet.LoadActive(registry);
        ActiveVersions = ReadActiveVersions();
    }

    /// <summary>The active versions the current set was loaded from, as <c>name=version;…</c>.</summary>
    public string ActiveVersions { get; private set; }

    /// <inheritdoc />
    public ModelSetLease Acquire()
    {
        while (true)
        {
            var set = Volatile.Read(ref _current);
            if (set.TryAddReference()) return new ModelSetLease(set);
            // Lost a race with a swap that released the last reference: read the new set.
        }
    }

    /// <summary>
    /// Reloads when an active version changed. Returns true when a new set was swapped in. A refused model keeps the
    /// current set and throws <see cref="ModelRejectedException"/> naming the problem.
    /// </summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _reload.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string versions = ReadActiveVersions();
            if (versions == ActiveVersions) return false;
            var next = await Task.Run(() => ModelSet.LoadActive(_registry), cancellationToken).ConfigureAwait(false);
            var previous = Interlocked.Exchange(ref _current, next);
            ActiveVersions = versions;
            previous.Release();
            return true;
        }
        finally
        {
            _reload.Release();
        }
    }

    private string ReadActiveVersions() =>
        string.Join(";", _registry.List().Where(m => m.ActiveVersion is not null).Select(m => $"{m.Name}={m.ActiveVersion}"));

    public void Dispose()
    {
        Interlocked.Exchange(ref _current, new ModelSet([], [])).Release();
        _reload.Dispose();
    }
}
