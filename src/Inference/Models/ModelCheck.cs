namespace EdgeCancer.Inference.Models;

/// <summary>The outcome of verifying one model version: the problems found (empty when the model may be used).</summary>
public sealed record ModelCheck(string Name, string Version, string Directory, ModelManifest? Manifest, IReadOnlyList<string> Problems)
{
    /// <summary>True when nothing is wrong.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>One line per problem, prefixed by the model.</summary>
    public override string ToString() => IsValid
        ? $"{Name} {Version}: ok"
        : $"{Name} {Version}: refused: " + string.Join("; ", Problems);
}

/// <summary>Thrown when a model that was asked for cannot be used; the message says which file or input is wrong.</summary>
public sealed class ModelRejectedException : Exception
{
    public ModelRejectedException(ModelCheck check) : base(check.ToString()) => Check = check;

    public ModelRejectedException(string message) : base(message) => Check = null;

    public ModelRejectedException(string message, Exception inner) : base(message, inner) => Check = null;

    public ModelRejectedException() : base("model rejected") => Check = null;

    /// <summary>The verification that failed, when there was one.</summary>
    public ModelCheck? Check { get; }
}
