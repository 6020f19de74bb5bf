namespace EdgeCancer.Inference.Onnx;

/// <summary>What one model said about one image.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Sha256">SHA-256 of the model's ONNX file.</param>
/// <param name="Label">The most probable label (binary: the positive label when at or above the threshold, else the negative).</param>
/// <param name="Probability">Binary: probability of the positive label; otherwise the probability of <paramref name="Label"/>.</param>
/// <param name="Probabilities">Probability per label.</param>
/// <param name="Threshold">Binary: the decision threshold from the manifest.</param>
public sealed record ModelPrediction(
    string Model,
    string Version,
    string Sha256,
    string Label,
    double Probability,
    IReadOnlyDictionary<string, double> Probabilities,
    double? Threshold);

/// <summary>The results one image gets: a prediction per model, or the reason it was not analysed.</summary>
public sealed record ImagePrediction(string? SopInstanceUid, string? NotAnalysedReason, IReadOnlyList<ModelPrediction> Predictions)
{
    /// <summary>True when the models saw the image.</summary>
    public bool Analysed => NotAnalysedReason is null;

    /// <summary>The prediction of <paramref name="model"/>, or null.</summary>
    public ModelPrediction? For(string model) => Predictions.FirstOrDefault(p => p.Model == model);
}
