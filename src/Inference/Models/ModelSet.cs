namespace EdgeCancer.Inference.Models;

/// <summary>
/// An immutable snapshot of the models in use: the active classifiers and the backbones they sit on, with their
/// sessions. Reference-counted: the provider holds one reference, every piece of work in flight holds one
/// (<see cref="ModelSetLease"/>), and the sessions are closed when the last is released, so swapping in a new set
/// never pulls a session from under running work.
/// </summary>
public sealed class ModelSet
{
    private readonly Dictionary<(string Name, string Version), LoadedModel> _backbones;
    private int _references = 1;

    public ModelSet(IReadOnlyList<LoadedModel> classifiers, IEnumerable<LoadedModel> backbones)
    {
        Classifiers = classifiers;
        _backbones = backbones.ToDictionary(b => (b.Name, b.Version));
        foreach (var c in classifiers)
            if (c.Manifest.Backbone is { } bb && !_backbones.ContainsKey((bb.Name, bb.Version)))
                throw new ArgumentException($"classifier {c.Name} needs backbone {bb.Name} {bb.Version}, which is not in the set.", nameof(backbones));
    }

    /// <summary>The classifiers, in registry order.</summary>
    public IReadOnlyList<LoadedModel> Classifiers { get; }

    /// <summary>The backbones the classifiers use.</summary>
    public IReadOnlyCollection<LoadedModel> Backbones => _backbones.Values;

    /// <summary>The backbone of <paramref name="head"/>.</summary>
    public LoadedModel BackboneOf(LoadedModel head) =>
        head.Manifest.Backbone is { } bb ? _backbones[(bb.Name, bb.Version)] : throw new ArgumentException($"{head.Name} has no backbone.", nameof(head));

    /// <summary>The classifier named <paramref name="name"/>, or null.</summary>
    public LoadedModel? Find(string name) => Classifiers.FirstOrDefault(c => c.Name == name);

    /// <summary>Name, version and hash of every classifier: two sets with equal keys hold the same models.</summary>
    public string Key => string.Join(";", Classifiers.Select(c => $"{c.Name}/{c.Version}/{c.Sha256}"));

    /// <summary>True once every reference is released and the sessions are closed.</summary>
    public bool IsDisposed => Volatile.Read(ref _references) <= 0;

    /// <summary>Loads the active version of every classifier in <paramref name="registry"/> and the backbones they name.</summary>
    public static ModelSet LoadActive(ModelRegistry registry)
    {
        var classifiers = new List<LoadedModel>();
        var backbones = new Dictionary<(string, string), LoadedModel>();
        // Active feature extractors are loaded once and kept when a classifier names them as its backbone, so a
        // backbone is never opened twice (each open is a full ONNX Runtime session of ~45 MB of weights).
        var extractors = new Dictionary<(string, string), LoadedModel>();
        try
        {
            foreach (var model in registry.List())
            {
                if (model.ActiveVersion is null) continue;
                var loaded = registry.Load(model.Name, model.ActiveVersion);
                if (loaded.Manifest.Task == ModelTask.FeatureExtraction)
                {
                    extractors[(model.Name, model.ActiveVersion)] = loaded;
                    continue;
                }
                classifiers.Add(loaded);
            }
            foreach (var classifier in classifiers)
            {
                if (classifier.Manifest.Backbone is not { } bb || backbones.ContainsKey((bb.Name, bb.Version))) continue;
                if (extractors.Remove((bb.Name, bb.Version), out var already)) backbones[(bb.Name, bb.Version)] = already;
                else backbones[(bb.Name, bb.Version)] = registry.Load(bb.Name, bb.Version);
            }
        }
        catch
        {
            foreach (var m in classifiers.Concat(backbones.Values).Concat(extractors.Values)) m.Dispose();
            throw;
        }
        foreach (var unused in extractors.Values) unused.Dispose();
        return new ModelSet(classifiers, backbones.Values);
    }

    /// <summary>Takes a reference; false when the set is already closed.</summary>
    internal bool TryAddReference()
    {
        while (true)
        {
            int current = Volatile.Read(ref _references);
            if (current <= 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    /// <summary>Drops a reference; the last one closes every session.</summary>
    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        foreach (var m in Classifiers.Concat(_backbones.Values)) m.Dispose();
    }
}

/// <summary>A reference to a <see cref="ModelSet"/> held while work runs; dispose when the work is done.</summary>
public sealed class ModelSetLease : IDisposable
{
    private ModelSet? _set;

    internal ModelSetLease(ModelSet set) => _set = set;

    /// <summary>The models.</summary>
    public ModelSet Models => _set ?? throw new ObjectDisposedException(nameof(ModelSetLease));

    public void Dispose() => Interlocked.Exchange(ref _set, null)?.Release();
}
