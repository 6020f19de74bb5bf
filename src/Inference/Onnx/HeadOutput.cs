using EdgeCancer.Inference.Models;

namespace EdgeCancer.Inference.Onnx;

/// <summary>Turns a model's raw output into a <see cref="ModelPrediction"/> as its manifest describes.</summary>
public static class HeadOutput
{
    /// <summary>Default decision threshold of a binary classifier without one in its manifest.</summary>
    public const double DefaultThreshold = 0.5;

    /// <summary>Interprets <paramref name="output"/> for <paramref name="model"/>.</summary>
    public static ModelPrediction Interpret(LoadedModel model, ReadOnlySpan<float> output)
    {
        var m = model.Manifest;
        double[] p = m.Output.Kind switch
        {
            OutputKind.Probability => [1 - output[0], output[0]],
            OutputKind.Logits => Softmax(output),
            OutputKind.Probabilities when m.Task == ModelTask.BinaryClassification && output.Length == 1 => [1 - output[0], output[0]],
            _ => ToDoubles(output),
        };
        var labels = m.Labels.Count == p.Length ? m.Labels : Enumerable.Range(0, p.Length).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var probabilities = new Dictionary<string, double>(labels.Count);
        for (int i = 0; i < p.Length; i++) probabilities[labels[i]] = p[i];
        if (m.Task == ModelTask.BinaryClassification)
        {
            double threshold = m.Thresholds.Values.DefaultIfEmpty(DefaultThreshold).First();
            double positive = p[^1];
            return new ModelPrediction(m.Name, m.Version, model.Sha256, positive >= threshold ? labels[^1] : labels[0], positive, probabilities, threshold);
        }
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return new ModelPrediction(m.Name, m.Version, model.Sha256, labels[best], p[best], probabilities, null);
    }

    private static double[] ToDoubles(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return d;
    }

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var e = new double[logits.Length];
        double sum = 0;
        for (int i = 0; i < e.Length; i++) sum += e[i] = Math.Exp(logits[i] - max);
        for (int i = 0; i < e.Length; i++) e[i] /= sum;
        return e;
    }
}
