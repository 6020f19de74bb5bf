namespace EdgeCancer.Inference.Preprocessing;

/// <summary>
/// The feature sets a head may declare in <c>preprocessing.features</c>: values computed from the image in HU and
/// appended, in the declared order, after the backbone's features to make the head's input.
/// </summary>
public static class FeatureSets
{
    /// <summary>Every known set by name, with its length.</summary>
    public static IReadOnlyDictionary<string, int> Known { get; } = new Dictionary<string, int>
    {
        [LungLesionDescriptors.Name] = LungLesionDescriptors.Length,
    };

    /// <summary>The number of values of <paramref name="name"/>, or null when the set is unknown.</summary>
    public static int? LengthOf(string name) => Known.TryGetValue(name, out int n) ? n : null;

    /// <summary>Total length of <paramref name="names"/> (all must be known).</summary>
    public static int TotalLength(IEnumerable<string>? names) => names?.Sum(n => LengthOf(n) ?? throw new ArgumentException($"unknown feature set \"{n}\".", nameof(names))) ?? 0;

    /// <summary>Writes set <paramref name="name"/> of <paramref name="image"/> into <paramref name="destination"/>.</summary>
    public static void Compute(string name, HuImage image, Span<float> destination)
    {
        switch (name)
        {
            case LungLesionDescriptors.Name: LungLesionDescriptors.Compute(image, destination); break;
            default: throw new ArgumentException($"unknown feature set \"{name}\" (known: {string.Join(", ", Known.Keys)}).", nameof(name));
        }
    }
}
