namespace EdgeCancer.Inference.Pipeline;

/// <summary>A model that took part in an analysis, as every report records it.</summary>
public sealed record ModelIdentity(string Name, string Version, string Sha256);

/// <summary>Outcome kinds of an image's analysis.</summary>
public static class AnalysisStatus
{
    /// <summary>The models ran.</summary>
    public const string Done = "done";
    /// <summary>The image was not analysed (cannot be decoded, not a CT axial image, too small …); the reason says why.</summary>
    public const string NotAnalysed = "not_analysed";
    /// <summary>Analysis failed after retries.</summary>
    public const string Failed = "failed";
}

/// <summary>What the models said about one image.</summary>
/// <param name="Status">One of <see cref="AnalysisStatus"/>.</param>
/// <param name="Reason">For not analysed / failed: why.</param>
/// <param name="BodyPart">Predicted body part label (chest, head, abdomen, other).</param>
/// <param name="BodyPartProbability">Probability of the predicted label (0–1).</param>
/// <param name="ChestProbability">P(chest) (0–1), as the SR's body part NUM records it.</param>
/// <param name="MalignancyProbability">P(suspected malignancy) (0–1), only for chest images.</param>
/// <param name="MalignancyThreshold">Operating threshold of the malignancy model.</param>
/// <param name="Models">The models (name, version, sha256) used.</param>
public sealed record ImageAnalysis(
    string Status,
    string? Reason,
    string? BodyPart,
    double? BodyPartProbability,
    double? ChestProbability,
    double? MalignancyProbability,
    double MalignancyThreshold,
    IReadOnlyList<ModelIdentity> Models)
{
    /// <summary>Key of the model versions used, e.g. <c>body-part@1.0.0+chest-malignancy@1.0.0</c>.</summary>
    public string ModelSet => Models.Count == 0 ? "none" : string.Join('+', Models.Select(m => $"{m.Name}@{m.Version}"));

    /// <summary>A "not analysed" result.</summary>
    public static ImageAnalysis NotAnalysed(string reason, IReadOnlyList<ModelIdentity>? models = null) =>
        new(AnalysisStatus.NotAnalysed, reason, null, null, null, null, 0, models ?? []);

    /// <summary>True when the malignancy probability is at or above the threshold.</summary>
    public bool IsSuspicious => MalignancyProbability is { } p && p >= MalignancyThreshold;
}
