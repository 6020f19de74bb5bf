using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Explain;

/// <summary>Patch size and stride (in model input pixels) of an occlusion run.</summary>
public sealed record OcclusionOptions(int Patch = 32, int Stride = 16)
{
    /// <summary>Value of the hiding patch in every window channel before the mean is subtracted (mid-gray).</summary>
    public const float Gray = 128f;
}

/// <summary>
/// Occlusion sensitivity (Zeiler and Fergus 2014): slide a gray patch over the model's input tensor, run the model
/// for each position and record how much the tracked probability falls. For a binary model the positive label is
/// tracked; otherwise the label predicted on the intact image. One backbone pass per position.
/// </summary>
public static class OcclusionSensitivity
{
    /// <summary>Computes the heatmap of <paramref name="model"/> (a classifier in <paramref name="set"/>) for <paramref name="image"/>.</summary>
    public static Heatmap Compute(ModelSet set, LoadedModel model, HuImage image, OcclusionOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new OcclusionOptions();
        var spec = model.Manifest.Preprocessing ?? throw new ArgumentException($"{model.Name} has no preprocessing; occlusion needs an image model.", nameof(model));
        int size = spec.Size, patch = Math.Min(options.Patch, size), stride = Math.Max(1, options.Stride);
        var tensor = ImageTensor.FromHu(image, spec);
        var baseline = Classifier.PredictTensor(set, model, tensor);
        string label = baseline.Threshold is not null ? model.Manifest.Labels[^1] : baseline.Label;
        double p0 = baseline.Probabilities[label];

        var positions = Positions(size, patch, stride);
        var grid = new float[positions.Count * positions.Count];
        var sum = new float[size * size];
        var count = new float[size * size];
        var gray = new float[3];
        for (int rgb = 0; rgb < 3; rgb++) gray[ImageTensor.PlaneOf(rgb, spec)] = OcclusionOptions.Gray - (float)spec.Mean[rgb];
        var work = new float[tensor.Length];
        for (int gy = 0; gy < positions.Count; gy++)
            for (int gx = 0; gx < positions.Count; gx++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int y0 = positions[gy], x0 = positions[gx];
                tensor.CopyTo(work, 0);
                for (int plane = 0; plane < 3; plane++)
                    for (int y = y0; y < y0 + patch; y++)
                        work.AsSpan(plane * size * size + y * size + x0, patch).Fill(gray[plane]);
                double p = Classifier.PredictTensor(set, model, work).Probabilities[label];
                float drop = (float)(p0 - p);
                grid[gy * positions.Count + gx] = drop;
                for (int y = y0; y < y0 + patch; y++)
                    for (int x = x0; x < x0 + patch; x++) { sum[y * size + x] += drop; count[y * size + x]++; }
            }
        for (int i = 0; i < sum.Length; i++) sum[i] = count[i] > 0 ? Math.Max(0, sum[i] / count[i]) : 0;
        return new Heatmap(model.Name, model.Version, label, p0, positions.Count, positions.Count, grid, image.Rows, image.Columns,
            Heatmap.ToImageSize(sum, size, image.Rows, image.Columns));
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
