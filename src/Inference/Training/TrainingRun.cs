using System.Diagnostics;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCancer.Inference.Training;

/// <summary>What <c>edgecancer train</c> does.</summary>
/// <param name="ModelsRoot">The models folder.</param>
/// <param name="Version">Version written for both heads.</param>
/// <param name="Seed">ML.NET seed.</param>
/// <param name="CopyBackbone">Copy ResNet18.onnx into the backbone's version folder (it is git-ignored there).</param>
/// <param name="FeatureCacheDirectory">Where backbone features are kept between runs (null: not kept).</param>
public sealed record TrainingOptions(string ModelsRoot, SyntheticDatasetOptions Train, SyntheticDatasetOptions HeldOut, string Version = "1", int Seed = 1, bool CopyBackbone = true, string? FeatureCacheDirectory = null);

/// <summary>The outcome of a training run.</summary>
public sealed record TrainingResult(ModelManifest BodyPart, ModelManifest Malignancy, EvaluationReport HeldOut, TimeSpan Elapsed);

/// <summary>
/// Trains the shipped heads: registers the backbone, renders the synthetic training set, extracts features, trains
/// <c>body-part</c> and <c>chest-malignancy</c> with ML.NET, exports them to ONNX, evaluates them on the held-out set
/// through the registry (as they will run), writes manifests with metrics and hashes and model cards, and activates them.
/// </summary>
public static class TrainingRun
{
    public static readonly string[] BodyPartLabels = ["chest", "head", "abdomen", "other"];

    /// <summary>The command line that reproduces the shipped models.</summary>
    public const string Command = "edgecancer train --models models --version 2";

    public static Task<TrainingResult> RunAsync(TrainingOptions options, IProgress<string>? log = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Run(options, log, cancellationToken), cancellationToken);

    private static TrainingResult Run(TrainingOptions o, IProgress<string>? log, CancellationToken ct)
    {
        if (o.Train.Seed == o.HeldOut.Seed) throw new ArgumentException("the training and held-out sets need different seeds.");
        var watch = Stopwatch.StartNew();
        var registry = new ModelRegistry(o.ModelsRoot);
        var backboneManifest = BackboneSetup.Ensure(registry, o.CopyBackbone);
        var activation = registry.Activate(BackboneSetup.Name, BackboneSetup.Version);
        if (!activation.IsValid) throw new ModelRejectedException(activation);
        var spec = PreprocessingSpec.ResNet18Ct;
        // The malignancy head reads the same single backbone pass as body-part, plus the lung-lesion descriptors.
        var malignancySpec = spec with { Features = [LungLesionDescriptors.Name] };
        var backboneRef = new BackboneReference(BackboneSetup.Name, BackboneSetup.Version, backboneManifest.OnnxFile.Sha256);

        var train = SyntheticDataset.Build(o.Train);
        var heldOut = SyntheticDataset.Build(o.HeldOut);
        log?.Report($"training set: {train.Count} images (seed {o.Train.Seed}); held-out set: {heldOut.Count} images (seed {o.HeldOut.Seed})");

        float[]?[] features, heldOutFeatures;
        var cache = new FeatureCache(o.FeatureCacheDirectory, backboneManifest.OnnxFile.Sha256, spec.Key);
        using (var backbone = registry.Load(BackboneSetup.Name, BackboneSetup.Version))
        {
            features = ExtractFeatures(backbone, train, spec, cache, "training", _ => true, log, watch, ct);
            heldOutFeatures = ExtractFeatures(backbone, heldOut, spec, cache, "held-out", _ => true, log, watch, ct);
        }
        // Descriptors are cheap (a few ms) and computed afresh, so a change to them never meets a stale cache.
        var malignancyFeatures = WithFeatureSets(train, features, malignancySpec, ct);
        var heldOutMalignancyFeatures = WithFeatureSets(heldOut, heldOutFeatures, malignancySpec, ct);
        log?.Report($"lung-lesion descriptors computed ({watch.Elapsed.TotalSeconds:0} s)");

        var bodyLabels = train.Select(s => Array.IndexOf(BodyPartLabels, s.BodyPart)).ToList();
        var body = HeadTrainer.TrainMulticlass(features!, bodyLabels, BodyPartLabels.Length, o.Seed);
        var malignantIdx = Enumerable.Range(0, train.Count).Where(i => train[i].Malignant is not null).ToList();
        var malignancy = HeadTrainer.TrainBinaryTrees(malignantIdx.Select(i => malignancyFeatures[i]!).ToList(), malignantIdx.Select(i => train[i].Malignant!.Value).ToList(), o.Seed);
        log?.Report($"trained heads ({watch.Elapsed.TotalSeconds:0} s)");

        string data = $"Synthetic axial CT phantoms from the EdgeCancer generator (`edgecancer synth`: analytic ellipse anatomy in HU, 512×512, {SyntheticDataset.SeriesSlices}-slice series, Gaussian noise with per-patient dose variation 0.5–2×), plus \"other\" sections (water QA phantom with inserts, thighs, near-empty field). ";
        var bodyManifest = WriteHead(registry, o, "body-part", ModelTask.Classification, BodyPartLabels, body, backboneRef, spec,
            "Body part of one axial CT image: chest, head, abdomen or other.",
            data + $"Per patient {o.Train.SlicesPerPatient} slices spread over the series; chest patients carry malignant-looking lesions, half the abdomen patients lesions.",
            "Routing and sanity checks in a demonstration pipeline (which images the chest model should look at). Demonstration model trained on synthetic phantoms; not for clinical use.",
            new Dictionary<string, double>(), null, train, heldOut, s => s.BodyPart);
        var malignancyManifest = WriteHead(registry, o, "chest-malignancy", ModelTask.BinaryClassification, ["no-suspicious-lesion", "suspected-malignancy"], malignancy, backboneRef, malignancySpec,
            "Probability that one axial chest CT image shows a malignant-looking lung lesion (spiculated or lobulated solid nodule, part-solid or ground-glass nodule, mass).",
            data + $"Positives: chest slices through a malignant-looking lesion whose section is at least {SyntheticDataset.VisibleSectionMm} mm (the size from which Fleischner and Lung-RADS guidance asks for follow-up of a solid nodule; a smaller section cannot be told from a vessel's on one image); negatives: chest slices that cut no lesion at all (slices through benign lesions or through a malignant lesion's section under {SyntheticDataset.VisibleSectionMm} mm are not used).",
            "Demonstrating per-image AI results, structured reports and heatmaps on chest CT. Demonstration model trained on synthetic phantoms; not for clinical use: it must never inform a diagnosis.",
            new Dictionary<string, double> { ["malignant"] = 0.5 }, new ModelGate("body-part", "chest"), train.Where(s => s.Malignant is not null).ToList(), heldOut.Where(s => s.Malignant is not null).ToList(),
            s => s.Malignant == true ? "suspected-malignancy" : "no-suspicious-lesion");

        // Evaluate exactly what ships: load the written heads through the registry.
        EvaluationReport report;
        using (var set = LoadSet(registry, o.Version))
            report = Evaluation.EvaluateFeatures(set.Models, heldOut, new Dictionary<string, float[]?[]> { ["body-part"] = heldOutFeatures, ["chest-malignancy"] = heldOutMalignancyFeatures });
        log?.Report($"evaluated held-out set ({watch.Elapsed.TotalSeconds:0} s)");

        bodyManifest = Finish(registry, bodyManifest with
        {
            Metrics = new Dictionary<string, double> { ["heldOutAccuracy"] = Math.Round(report.BodyPartAccuracy, 4), ["heldOutImages"] = report.BodyPartImages },
        });
        malignancyManifest = Finish(registry, malignancyManifest with
        {
            Metrics = new Dictionary<string, double>
            {
                ["heldOutAuc"] = Math.Round(report.MalignancyAuc, 4),
                ["heldOutSensitivity"] = Math.Round(report.Sensitivity, 4),
                ["heldOutSpecificity"] = Math.Round(report.Specificity, 4),
                ["heldOutPositives"] = report.MalignancyPositives,
                ["heldOutNegatives"] = report.MalignancyNegatives,
            },
        });
        return new TrainingResult(bodyManifest, malignancyManifest, report, watch.Elapsed);
    }

    /// <summary>A lease on a set made of version <paramref name="version"/> of both heads (and their backbone).</summary>
    private static ModelSetLease LoadSet(ModelRegistry registry, string version)
    {
        var body = registry.Load("body-part", version);
        var malignancy = registry.Load("chest-malignancy", version);
        var backbone = registry.Load(BackboneSetup.Name, BackboneSetup.Version);
        var set = new ModelSet([body, malignancy], [backbone]);
        return new ModelSetLease(set);
    }

    private static ModelManifest WriteHead(ModelRegistry registry, TrainingOptions o, string name, ModelTask task, IReadOnlyList<string> labels,
        HeadTrainer.ExportedHead head, BackboneReference backbone, PreprocessingSpec spec, string description, string data, string intendedUse,
        IReadOnlyDictionary<string, double> thresholds, ModelGate? gate, IReadOnlyList<TrainingSample> train, IReadOnlyList<TrainingSample> heldOut, Func<TrainingSample, string> label)
    {
        string dir = registry.VersionDirectory(name, o.Version);
        Directory.CreateDirectory(dir);
        string onnx = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(onnx, head.Onnx);
        string output;
        long[] inputShape;
        string inputName;
        using (var session = new InferenceSession(onnx))
        {
            var input = session.InputMetadata.Single();
            inputName = input.Key;
            inputShape = [.. input.Value.Dimensions.Select(d => (long)d)];
            string prefix = task == ModelTask.BinaryClassification ? "Probability" : "Score";
            output = session.OutputMetadata.Keys.FirstOrDefault(k => k.StartsWith(prefix, StringComparison.Ordinal))
                ?? throw new InvalidDataException($"the exported {name} ONNX has no {prefix} output (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).");
        }
        var manifest = new ModelManifest
        {
            Name = name,
            Version = o.Version,
            Task = task,
            Description = description,
            Labels = labels,
            Input = new ModelTensor(inputName, inputShape),
            Output = new ModelOutput(output, task == ModelTask.BinaryClassification ? OutputKind.Probability : OutputKind.Probabilities),
            Backbone = backbone,
            Preprocessing = spec,
            Thresholds = thresholds,
            AppliesTo = gate,
            Training = new TrainingDescription(data, Command, o.Train.Seed, o.HeldOut.Seed, train.Count, heldOut.Count,
                Count(train, label), Count(heldOut, label), head.Trainer),
            IntendedUse = intendedUse,
            Files = [new ModelFile("model.onnx", ModelFileLocator.Sha256(onnx), head.Onnx.Length, ModelFile.OnnxRole)],
        };
        manifest.Save(Path.Combine(dir, ModelManifest.FileName));
        return manifest;
    }

    private static float[]?[] ExtractFeatures(LoadedModel backbone, IReadOnlyList<TrainingSample> samples, PreprocessingSpec spec, FeatureCache cache, string what, Func<TrainingSample, bool> wanted, IProgress<string>? log, Stopwatch watch, CancellationToken ct)
    {
        var features = new float[]?[samples.Count];
        for (int i = 0; i < samples.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var sample = samples[i];
            if (!wanted(sample)) continue;
            features[i] = cache.GetOrCompute(sample.Id, () => Classifier.ModelFeatures(backbone, sample.Render(), spec));
            if ((i + 1) % 100 == 0) log?.Report($"{what} features {i + 1}/{samples.Count} ({watch.Elapsed.TotalSeconds:0} s)");
        }
        return features;
    }

    /// <summary>Backbone features followed by the spec's feature sets, for the samples that have backbone features.</summary>
    private static float[]?[] WithFeatureSets(IReadOnlyList<TrainingSample> samples, float[]?[] backbone, PreprocessingSpec spec, CancellationToken ct)
    {
        var result = new float[]?[samples.Count];
        for (int i = 0; i < samples.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            if (backbone[i] is not { } f || samples[i].Malignant is null) continue;
            result[i] = Classifier.HeadInput(f, spec, samples[i].Render());
        }
        return result;
    }

    private static ModelManifest Finish(ModelRegistry registry, ModelManifest manifest)
    {
        manifest.Save(Path.Combine(registry.VersionDirectory(manifest.Name, manifest.Version), ModelManifest.FileName));
        File.WriteAllText(Path.Combine(registry.Root, manifest.Name, "README.md"), ModelCard.Render(manifest));
        var check = registry.Activate(manifest.Name, manifest.Version);
        if (!check.IsValid) throw new ModelRejectedException(check);
        return manifest;
    }

    private static Dictionary<string, int> Count(IEnumerable<TrainingSample> samples, Func<TrainingSample, string> label) =>
        samples.GroupBy(label).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
