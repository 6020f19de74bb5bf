using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Explain;

/// <summary>Patch size and stride, in model input pixels (a 224 input: 32/16 by default); scaled to the image.</summary>
public sealed record OcclusionOptions(int Patch = 32, int Stride = 16)
{
    /// <summary>Value of the hiding patch in every window channel (mid-gray).</summary>
    public const float Gray = 128f;

    /// <summary>Value of the hiding patch in the HU image that feature sets (<c>preprocessing.features</c>) read: air.</summary>
    public const float HiddenHu = -1000f;
}

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus 2014): slide a gray patch over the windowed image (and, for a head that
/// also reads feature sets from HU, an air patch over the HU image), run the model for each position and record how
/// much the tracked probability falls. For a binary model the positive label is
/// tracked; otherwise the label predicted on the intact image. One model evaluation (backbone passes included) per position.
/// </summary>
public static class OcclusionSensitivity
{
    /// <summary>
    /// Computes the heatmap of <paramref name="model"/> (a classifier in <paramref name="set"/>) for <paramref name="image"/>.
    /// <paramref name="beforeEachRun"/>, when given, is called before every model run: a background caller uses it to
    /// pause while more urgent work is running.
    /// </summary>
    public static Heatmap Compute(ModelSet set, LoadedModel model, HuImage image, OcclusionOptions? options = null, CancellationToken cancellationToken = default,
        Action<CancellationToken>? beforeEachRun = null)
    {
        options ??= new OcclusionOptions();
        var spec = model.Manifest.Preprocessing ?? throw new ArgumentException($"{model.Name} has no preprocessing; occlusion needs an image model.", nameof(model));
        int rows = image.Rows, columns = image.Columns;
        double scale = Math.Max(rows, columns) / (double)spec.Size;
        int patch = Math.Clamp((int)Math.Round(options.Patch * scale), 1, Math.Min(rows, columns));
        int stride = Math.Max(1, (int)Math.Round(options.Stride * scale));
        var channels = ImageTensor.Window(image, spec);
        bool readsHu = spec.Features is { Count: > 0 };
        beforeEachRun?.Invoke(cancellationToken);
        var baseline = Classifier.PredictImage(set, model, image, channels);
        string label = baseline.Threshold is not null ? model.Manifest.Labels[^1] : baseline.Label;
        double p0 = baseline.Probabilities[label];

        var ys = Positions(rows, patch, stride);
        var xs = Positions(columns, patch, stride);
        var grid = new float[ys.Count * xs.Count];
        var sum = new float[rows * columns];
        var count = new float[rows * columns];
        var work = new float[3][];
        for (int c = 0; c < 3; c++) work[c] = new float[channels[c].Length];
        var hidden = readsHu ? new float[image.Values.Length] : null;
        for (int gy = 0; gy < ys.Count; gy++)
            for (int gx = 0; gx < xs.Count; gx++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                beforeEachRun?.Invoke(cancellationToken);
                int y0 = ys[gy], x0 = xs[gx];
                for (int c = 0; c < 3; c++)
                {
                    channels[c].CopyTo(work[c], 0);
                    for (int y = y0; y < y0 + patch; y++) work[c].AsSpan(y * columns + x0, patch).Fill(OcclusionOptions.Gray);
                }
                var occluded = image;
                if (hidden is not null)
                {
                    image.Values.CopyTo(hidden, 0);
                    for (int y = y0; y < y0 + patch; y++) hidden.AsSpan(y * columns + x0, patch).Fill(OcclusionOptions.HiddenHu);
                    occluded = image with { Values = hidden };
                }
                double p = Classifier.PredictImage(set, model, occluded, work).Probabilities[label];
                float drop = (float)(p0 - p);
                grid[gy * xs.Count + gx] = drop;
                for (int y = y0; y < y0 + patch; y++)
                    for (int x = x0; x < x0 + patch; x++) { sum[y * columns + x] += drop; count[y * columns + x]++; }
            }
        for (int i = 0; i < sum.Length; i++) sum[i] = count[i] > 0 ? Math.Max(0, sum[i] / count[i]) : 0;
        return new Heatmap(model.Name, model.Version, label, p0, ys.Count, xs.Count, grid, rows, columns, sum);
    }

    /// <summary>Model runs one heatmap of an image of <paramref name="rows"/> × <paramref name="columns"/> takes (the baseline included).</summary>
    public static int Runs(int rows, int columns, int inputSize, OcclusionOptions options)
    {
        double scale = Math.Max(rows, columns) / (double)inputSize;
        int patch = Math.Clamp((int)Math.Round(options.Patch * scale), 1, Math.Min(rows, columns));
        int stride = Math.Max(1, (int)Math.Round(options.Stride * scale));
        return 1 + Positions(rows, patch, stride).Count * Positions(columns, patch, stride).Count;
    }

    /// <summary>Patch origins covering 0…size−1 (the last one flush with the edge).</summary>
    private static List<int> Positions(int size, int patch, int stride)
    {
        var list = new List<int>();
        for (int p = 0; ; p += stride)
        {
            if (p + patch >= size) { list.Add(size - patch); break; }
            list.Add(p);
        }
        return list;
    }
}
