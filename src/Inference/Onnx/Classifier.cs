using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Onnx;

/// <summary>
/// Runs every active model on an image: decode to HU once, build each distinct image tensor once, run each
/// backbone once per tensor (one pass serves every head on it), then the heads. Thread-safe; each call leases the
/// current model set, so a hot reload never interrupts it.
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
        var decoded = new Dictionary<string, ImageDecodeResult>();
        HuImage? image = null;
        foreach (var spec in set.Classifiers.Select(c => c.Manifest.Preprocessing).OfType<PreprocessingSpec>())
        {
            var result = _decoder.Decode(file, spec);
            if (!result.IsAnalysable) return new ImagePrediction(sop, result.NotAnalysedReason, []);
            image ??= result.Image;
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
        var channels = new Dictionary<string, float[][]>();
        var features = new Dictionary<string, float[]>();
        var results = new List<ModelPrediction>(set.Classifiers.Count);
        // Ungated models first, so gates can be checked against their results.
        foreach (var model in set.Classifiers.OrderBy(m => m.Manifest.AppliesTo is null ? 0 : 1))
        {
            if (model.Manifest.AppliesTo is { } gate && results.FirstOrDefault(r => r.Model == gate.Model)?.Label != gate.Label) continue;
            var spec = model.Manifest.Preprocessing!;
            string windows = string.Join("|", spec.Windows);
            if (!channels.TryGetValue(windows, out var c)) channels[windows] = c = ImageTensor.Window(image, spec);
            results.Add(PredictChannels(set, model, c, image.Rows, image.Columns, features));
        }
        return results;
    }

    /// <summary>
    /// Runs one model on windowed channels (R, G, B at the image's size); <paramref name="featureCache"/> (keyed by
    /// backbone and preprocessing) avoids repeated backbone passes for heads that share them.
    /// </summary>
    public static ModelPrediction PredictChannels(ModelSet set, LoadedModel model, float[][] channels, int rows, int columns, Dictionary<string, float[]>? featureCache = null)
    {
        var spec = model.Manifest.Preprocessing!;
        var input = model.Manifest.Input;
        float[] output;
        if (model.Manifest.Backbone is null)
        {
            var tensor = ImageTensor.TensorsFromChannels(channels, rows, columns, spec)[0];
            output = OnnxRunner.Run(model.Session, input.Name, tensor, ImageShape(model.Manifest), model.Manifest.Output.Name);
        }
        else
        {
            var backbone = set.BackboneOf(model);
            string key = $"{backbone.Name}/{backbone.Version}/{spec.Key}";
            if (featureCache is null || !featureCache.TryGetValue(key, out var f))
            {
                f = ModelFeatures(backbone, channels, rows, columns, spec);
                featureCache?.Add(key, f);
            }
            output = OnnxRunner.Run(model.Session, input.Name, f, [1, f.Length], model.Manifest.Output.Name);
        }
        return HeadOutput.Interpret(model, output);
    }

    /// <summary>The features a head with <paramref name="spec"/> reads: the backbone's output for the image, or its element-wise maximum over the tiles.</summary>
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

    /// <inheritdoc cref="ModelFeatures(LoadedModel, float[][], int, int, PreprocessingSpec)"/>
    public static float[] ModelFeatures(LoadedModel backbone, HuImage image, PreprocessingSpec spec) =>
        ModelFeatures(backbone, ImageTensor.Window(image, spec), image.Rows, image.Columns, spec);

    /// <summary>The backbone's feature vector for an image tensor.</summary>
    public static float[] Features(LoadedModel backbone, float[] tensor) =>
        OnnxRunner.Run(backbone.Session, backbone.Manifest.Input.Name, tensor, ImageShape(backbone.Manifest), backbone.Manifest.Output.Name);

    private static long[] ImageShape(ModelManifest m) => [.. m.Input.Shape.Select(d => d == -1 ? 1 : d)];
}
