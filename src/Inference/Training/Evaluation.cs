using System.Globalization;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;

namespace EdgeCancer.Inference.Training;

/// <summary>Held-out figures of the shipped heads.</summary>
/// <param name="BodyPartAccuracy">Fraction of images whose body part is right.</param>
/// <param name="BodyPartImages">Images evaluated for body part.</param>
/// <param name="Confusion">Counts by (truth, predicted).</param>
/// <param name="MalignancyAuc">ROC AUC of the malignancy probability: visible malignant-looking lesion vs lesion-free chest slices.</param>
/// <param name="MalignancyPositives">Slices with a visible malignant-looking lesion.</param>
/// <param name="MalignancyNegatives">Lesion-free chest slices.</param>
/// <param name="Sensitivity">At the manifest threshold.</param>
/// <param name="Specificity">At the manifest threshold.</param>
public sealed record EvaluationReport(
    double BodyPartAccuracy,
    int BodyPartImages,
    IReadOnlyDictionary<string, int> Confusion,
    double MalignancyAuc,
    int MalignancyPositives,
    int MalignancyNegatives,
    double Sensitivity,
    double Specificity)
{
    /// <summary>Targets of issue 4.</summary>
    public const double BodyPartTarget = 0.95, AucTarget = 0.90;

    /// <summary>True when both targets are met.</summary>
    public bool MeetsTargets => BodyPartAccuracy >= BodyPartTarget && MalignancyAuc >= AucTarget;

    /// <summary>Lines for the console.</summary>
    public IEnumerable<string> Describe()
    {
        yield return string.Create(CultureInfo.InvariantCulture, $"body-part accuracy: {BodyPartAccuracy:0.000} on {BodyPartImages} held-out images (target ≥ {BodyPartTarget:0.00}) {(BodyPartAccuracy >= BodyPartTarget ? "met" : "NOT MET")}");
        yield return "  confusion (truth→predicted): " + string.Join(", ", Confusion.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"));
        yield return string.Create(CultureInfo.InvariantCulture, $"chest-malignancy AUC: {MalignancyAuc:0.000} on {MalignancyPositives} lesion / {MalignancyNegatives} lesion-free held-out chest slices (target ≥ {AucTarget:0.00}) {(MalignancyAuc >= AucTarget ? "met" : "NOT MET")}");
        yield return string.Create(CultureInfo.InvariantCulture, $"  at the threshold: sensitivity {Sensitivity:0.000}, specificity {Specificity:0.000}");
    }
}

/// <summary>Evaluates the body-part and chest-malignancy models of a model set on labelled synthetic images, through the same path as <c>edgecancer predict</c> (HU → tensor → backbone → heads).</summary>
public static class Evaluation
{
    /// <summary>Name of the body-part model.</summary>
    public const string BodyPartModel = "body-part";

    /// <summary>Name of the malignancy model.</summary>
    public const string MalignancyModel = "chest-malignancy";

    /// <summary>Runs the models on every sample (render → tensor → backbone → heads).</summary>
    public static EvaluationReport Evaluate(ModelSet set, IReadOnlyList<TrainingSample> samples, IProgress<string>? log = null, CancellationToken cancellationToken = default) =>
        Evaluate(samples, i =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            if ((i + 1) % 100 == 0) log?.Report($"evaluated {i + 1}/{samples.Count} images");
            return Classifier.Predict(set, samples[i].Render());
        });

    /// <summary>Runs the heads of <paramref name="set"/> on features computed beforehand: per model name, one vector per sample (null where the model is not evaluated).</summary>
    public static EvaluationReport EvaluateFeatures(ModelSet set, IReadOnlyList<TrainingSample> samples, IReadOnlyDictionary<string, float[]?[]> features) =>
        Evaluate(samples, i => set.Classifiers
            .Where(m => features.TryGetValue(m.Name, out var f) && f[i] is not null)
            .Select(m =>
            {
                var f = features[m.Name][i]!;
                return HeadOutput.Interpret(m, OnnxRunner.Run(m.Session, m.Manifest.Input.Name, f, [1, f.Length], m.Manifest.Output.Name));
            })
            .ToList());

    private static EvaluationReport Evaluate(IReadOnlyList<TrainingSample> samples, Func<int, IReadOnlyList<ModelPrediction>> predict)
    {
        var bodyTruth = new List<string>();
        var bodyPredicted = new List<string>();
        var scores = new List<double>();
        var malignant = new List<bool>();
        double threshold = HeadOutput.DefaultThreshold;
        for (int i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var predictions = predict(i);
            if (predictions.FirstOrDefault(p => p.Model == BodyPartModel) is { } body)
            {
                bodyTruth.Add(sample.BodyPart);
                bodyPredicted.Add(body.Label);
            }
            if (sample.Malignant is { } truth && predictions.FirstOrDefault(p => p.Model == MalignancyModel) is { } m)
            {
                scores.Add(m.Probability);
                malignant.Add(truth);
                threshold = m.Threshold ?? threshold;
            }
        }
        var confusion = bodyTruth.Zip(bodyPredicted).GroupBy(p => $"{p.First}→{p.Second}").ToDictionary(g => g.Key, g => g.Count());
        int tp = scores.Where((s, i) => malignant[i] && s >= threshold).Count(), positives = malignant.Count(m => m);
        int tn = scores.Where((s, i) => !malignant[i] && s < threshold).Count(), negatives = malignant.Count - positives;
        return new EvaluationReport(
            Metrics.Accuracy(bodyPredicted, bodyTruth), bodyTruth.Count, confusion,
            Metrics.Auc(scores, malignant), positives, negatives,
            positives == 0 ? double.NaN : tp / (double)positives,
            negatives == 0 ? double.NaN : tn / (double)negatives);
    }
}
