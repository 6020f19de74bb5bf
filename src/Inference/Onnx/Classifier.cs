using System.Buffers;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Onnx;

/// <summary>
/// Runs every active model on an image: decode to HU once, build each distinct image tensor once, run each
/// backbone once per tensor (one pass serves every head on it), compute each declared feature set once, then the
/// heads. Thread-safe; each call leases the current model set, so a hot reload never interrupts it.
/// </summary>
public sealed class Classifier(IModelProvider models, DicomCodecRegistry? codecs = null)
{
    private readonly CtImageDecoder _decoder = new(codecs);

    /// <summary>The results <paramref name="file"/> gets from the active models.</summary>
    public ImagePrediction Predict(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string? sop = file.Dataset.TryGetString(DicomTags.SOPInstanceUID, out var s) ? s.Trim().TrimEnd('\0') : null;
        using var lease = models.Acquire();
        var set = lease.Models;
        if (set.Classifiers.Count == 0) return new ImagePrediction(sop, "no model is active", []);
        HuImage? image = null;
        PreprocessingSpec? decodedWith = null;
        foreach (var spec in set.Classifiers.Select(c => c.Manifest.Preprocessing).OfType<PreprocessingSpec>())
        {
            // Decode once: another spec with the same admission rules (modalities, minimum size) would decode the same.
            if (decodedWith is not null && spec.MinimumSize == decodedWith.MinimumSize && spec.Modalities.SequenceEqual(decodedWith.Modalities, StringComparer.OrdinalIgnoreCase)) continue;
            var result = _decoder.Decode(file, spec);
            if (!result.IsAnalysable) return new ImagePrediction(sop, result.NotAnalysedReason, []);
            image ??= result.Image;
            decodedWith ??= spec;
        }
        if (image is null) return new ImagePrediction(sop, "no active model describes its preprocessing", []);
        return new ImagePrediction(sop, null, Predict(set, image));
    }

    /// <summary>
    /// The results of every model in <paramref name="set"/> for an image already in HU. A model with
    /// <see cref="ModelManifest.AppliesTo"/> runs only when the named model gave the named label (and not at all when
    /// that model is not in the set).
    /// </summary>
    public static IReadOnlyList<ModelPrediction> Predict(ModelSet set, HuImage image)
    {
        var features = new Dictionary<string, float[]>();
        var results = new List<ModelPrediction>(set.Classifiers.Count);
        // Ungated models first, so gates can be checked against their results.
        foreach (var model in set.Classifiers.OrderBy(m => m.Manifest.AppliesTo is null ? 0 : 1))
        {
            if (model.Manifest.AppliesTo is { } gate && results.FirstOrDefault(r => r.Model == gate.Model)?.Label != gate.Label) continue;
            results.Add(PredictImage(set, model, image, null, features));
        }
        return results;
    }

    /// <summary>
    /// Runs one model on an image in HU; <paramref name="channels"/>, when given, are its windowed channels (R, G, B
    /// at the image's size) and replace the windowing of <paramref name="image"/> (occlusion passes altered channels).
    /// <paramref name="cache"/> (keyed by backbone and preprocessing, and by feature set) avoids repeated backbone
    /// passes and feature computations for heads that share them.
    /// </summary>
    public static ModelPrediction PredictImage(ModelSet set, LoadedModel model, HuImage image, float[][]? channels = null, Dictionary<string, float[]>? cache = null)
    {
        var spec = model.Manifest.Preprocessing!;
        var input = model.Manifest.Input;
        float[] output;
        if (model.Manifest.Backbone is null)
        {
            output = WithTensor(image, channels, spec, ImageShape(model.Manifest), (tensor, shape) => OnnxRunner.Run(model.Session, input.Name, tensor, shape, model.Manifest.Output.Name));
        }
        else
        {
            var backbone = set.BackboneOf(model);
            string key = $"{backbone.Name}/{backbone.Version}/{spec.Key}";
            if (cache is null || !cache.TryGetValue(key, out var f))
            {
                f = channels is null ? ModelFeatures(backbone, image, spec) : ModelFeatures(backbone, channels, image.Rows, image.Columns, spec);
                cache?.Add(key, f);
            }
            var head = HeadInput(f, spec, image, cache);
            output = OnnxRunner.Run(model.Session, input.Name, head, [1, head.Length], model.Manifest.Output.Name);
        }
        return HeadOutput.Interpret(model, output);
    }

    /// <summary>A head's input: the backbone's features followed by each feature set the spec declares, in order.</summary>
    public static float[] HeadInput(float[] backboneFeatures, PreprocessingSpec spec, HuImage image, Dictionary<string, float[]>? cache = null)
    {
        if (spec.Features is not { Count: > 0 } sets) return backboneFeatures;
        var input = new float[backboneFeatures.Length + spec.FeatureSetLength];
        backboneFeatures.CopyTo(input, 0);
        int offset = backboneFeatures.Length;
        foreach (var name in sets)
        {
            if (cache is null || !cache.TryGetValue("features/" + name, out var values))
            {
                values = new float[FeatureSets.LengthOf(name)!.Value];
                FeatureSets.Compute(name, image, values);
                cache?.Add("features/" + name, values);
            }
            values.CopyTo(input, offset);
            offset += values.Length;
        }
        return input;
    }

    /// <summary>The backbone features a head with <paramref name="spec"/> reads (element-wise maximum over the tiles when tiled).</summary>
    public static float[] ModelFeatures(LoadedModel backbone, float[][] channels, int rows, int columns, PreprocessingSpec spec)
    {
        float[]? pooled = null;
        foreach (var tensor in ImageTensor.TensorsFromChannels(channels, rows, columns, spec))
        {
            var f = Features(backbone, tensor);
            if (pooled is null) pooled = f;
            else for (int i = 0; i < f.Length; i++) pooled[i] = Math.Max(pooled[i], f[i]);
        }
        return pooled!;
    }

    /// <summary>
    /// The backbone features of an image in HU. Untiled specs take the lean path: windows and resize fused straight
    /// into a pooled tensor (no full-size channels, no per-image tensor allocation), the same values as
    /// <see cref="ImageTensor.FromHu"/>.
    /// </summary>
    public static float[] ModelFeatures(LoadedModel backbone, HuImage image, PreprocessingSpec spec) =>
        spec.Tiles == 1
            ? WithTensor(image, null, spec, ImageShape(backbone.Manifest), (tensor, shape) => OnnxRunner.Run(backbone.Session, backbone.Manifest.Input.Name, tensor, shape, backbone.Manifest.Output.Name))
            : ModelFeatures(backbone, ImageTensor.Window(image, spec), image.Rows, image.Columns, spec);

    /// <summary>The backbone's feature vector for an image tensor.</summary>
    public static float[] Features(LoadedModel backbone, float[] tensor) =>
        OnnxRunner.Run(backbone.Session, backbone.Manifest.Input.Name, tensor, ImageShape(backbone.Manifest), backbone.Manifest.Output.Name);

    private static float[] WithTensor(HuImage image, float[][]? channels, PreprocessingSpec spec, long[] shape, Func<Memory<float>, long[], float[]> run)
    {
        if (channels is not null || spec.Tiles != 1)
        {
            var c = channels ?? ImageTensor.Window(image, spec);
            float[]? pooled = null;
            foreach (var tensor in ImageTensor.TensorsFromChannels(c, image.Rows, image.Columns, spec))
            {
                var f = run(tensor, shape);
                if (pooled is null) pooled = f;
                else for (int i = 0; i < f.Length; i++) pooled[i] = Math.Max(pooled[i], f[i]);
            }
            return pooled!;
        }
        int length = 3 * spec.Size * spec.Size;
        var buffer = ArrayPool<float>.Shared.Rent(length);
        try
        {
            ImageTensor.FromHuInto(image, spec, buffer.AsSpan(0, length));
            return run(buffer.AsMemory(0, length), shape);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    private static long[] ImageShape(ModelManifest m) => [.. m.Input.Shape.Select(d => d == -1 ? 1 : d)];
}
