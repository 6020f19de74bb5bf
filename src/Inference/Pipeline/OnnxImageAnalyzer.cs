using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Onnx;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>The pipeline's analyzer over the ONNX classifier: body part on every image, malignancy reported only for chest images.</summary>
public sealed class OnnxImageAnalyzer(Classifier classifier) : IImageAnalyzer
{
    /// <inheritdoc />
    public ImageAnalysis Analyze(DicomFile file, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var result = classifier.Predict(file);
        var models = result.Predictions.Select(p => new ModelIdentity(p.Model, p.Version, p.Sha256)).ToList();
        if (!result.Analysed) return ImageAnalysis.NotAnalysed(result.NotAnalysedReason ?? "not analysed", models);
        var body = result.For(SrReportBuilder.BodyPartModelName);
        if (body is null) return ImageAnalysis.NotAnalysed($"no active {SrReportBuilder.BodyPartModelName} model", models);
        double chest = body.Probabilities.TryGetValue("chest", out var c) ? c : body.Label == "chest" ? body.Probability : 0;
        var malignancy = body.Label == "chest" ? result.For(SrReportBuilder.MalignancyModelName) : null;
        return new ImageAnalysis(AnalysisStatus.Done, null, body.Label, body.Probability, chest,
            malignancy?.Probability, malignancy?.Threshold ?? result.For(SrReportBuilder.MalignancyModelName)?.Threshold ?? 0.5, models);
    }
}
