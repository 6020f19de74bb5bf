using System.Text.RegularExpressions;
using EdgeCancer.Inference.Preprocessing;
using Microsoft.ML.OnnxRuntime;

namespace EdgeCancer.Inference.Models;

/// <summary>One model in the registry: its versions and which one is active.</summary>
public sealed record RegisteredModel(string Name, IReadOnlyList<string> Versions, string? ActiveVersion);

/// <summary>
/// The models folder: <c>&lt;root&gt;/&lt;name&gt;/&lt;version&gt;/model.json</c> plus the files it lists, and
/// <c>&lt;root&gt;/&lt;name&gt;/active</c> holding the active version. A model is only loaded or activated after every
/// file matches its SHA-256 and the ONNX inputs and outputs match the manifest.
/// </summary>
public sealed partial class ModelRegistry
{
    /// <summary>File holding the active version of a model.</summary>
    public const string ActiveFileName = "active";

    /// <summary>Opens the registry at <paramref name="root"/> (need not exist yet).</summary>
    public ModelRegistry(string root, int backboneThreads = 2)
    {
        Root = Path.GetFullPath(root);
        BackboneThreads = backboneThreads;
    }

    /// <summary>The models folder.</summary>
    public string Root { get; }

    /// <summary>Intra-op threads of feature-extractor and image-model sessions (heads get one).</summary>
    public int BackboneThreads { get; }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex SafeName();

    /// <summary>Every model folder with its versions, sorted.</summary>
    public IReadOnlyList<RegisteredModel> List()
    {
        if (!Directory.Exists(Root)) return [];
        var models = new List<RegisteredModel>();
        foreach (var dir in Directory.GetDirectories(Root).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            var versions = Directory.GetDirectories(dir)
                .Where(v => File.Exists(Path.Combine(v, ModelManifest.FileName)))
                .Select(Path.GetFileName).OfType<string>()
                .OrderBy(v => v, VersionComparer.Instance).ToList();
            if (versions.Count > 0) models.Add(new RegisteredModel(name, versions, GetActiveVersion(name)));
        }
        return models;
    }

    /// <summary>The active version of <paramref name="name"/>, or null when none is set.</summary>
    public string? GetActiveVersion(string name)
    {
        RequireSafe(name, "model name");
        string path = Path.Combine(Root, name, ActiveFileName);
        if (!File.Exists(path)) return null;
        string version = File.ReadAllText(path).Trim();
        return version.Length == 0 ? null : version;
    }

    /// <summary>The version folder of a model.</summary>
    public string VersionDirectory(string name, string version)
    {
        RequireSafe(name, "model name");
        RequireSafe(version, "model version");
        return Path.Combine(Root, name, version);
    }

    /// <summary>
    /// Checks a model version: the manifest reads and names this folder, every file exists and matches its SHA-256,
    /// the ONNX input and output named in the manifest exist with the manifest's shape, the preprocessing agrees with
    /// the input, and a head's backbone is present with the hash the head was trained on.
    /// </summary>
    public ModelCheck Verify(string name, string version)
    {
        var (check, session, _, _) = Open(name, version, keepSession: false);
        session?.Dispose();
        return check;
    }

    /// <summary>Verifies and loads a version; throws <see cref="ModelRejectedException"/> saying what is wrong.</summary>
    public LoadedModel Load(string name, string version)
    {
        var (check, session, onnxPath, sha) = Open(name, version, keepSession: true);
        if (!check.IsValid || session is null)
        {
            session?.Dispose();
            throw new ModelRejectedException(check);
        }
        return new LoadedModel(check.Manifest!, check.Directory, onnxPath!, sha!, session);
    }

    /// <summary>Loads the active version of <paramref name="name"/>.</summary>
    public LoadedModel LoadActive(string name) =>
        Load(name, GetActiveVersion(name) ?? throw new ModelRejectedException($"model {name} has no active version ({Path.Combine(Root, name, ActiveFileName)} is missing); run `edgecancer models activate {name} VERSION`."));

    /// <summary>Makes <paramref name="version"/> the active version after verifying it; returns the check (not activated when invalid).</summary>
    public ModelCheck Activate(string name, string version)
    {
        var check = Verify(name, version);
        if (!check.IsValid) return check;
        string path = Path.Combine(Root, name, ActiveFileName);
        string temp = path + ".tmp";
        File.WriteAllText(temp, version + "\n");
        File.Move(temp, path, overwrite: true);
        return check;
    }

    private (ModelCheck Check, InferenceSession? Session, string? OnnxPath, string? Sha) Open(string name, string version, bool keepSession)
    {
        string dir = VersionDirectory(name, version);
        var problems = new List<string>();
        string manifestPath = Path.Combine(dir, ModelManifest.FileName);
        if (!File.Exists(manifestPath))
            return (new ModelCheck(name, version, dir, null, [$"{manifestPath} does not exist"]), null, null, null);
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(manifestPath);
        }
        catch (InvalidDataException ex)
        {
            return (new ModelCheck(name, version, dir, null, [ex.Message]), null, null, null);
        }
        if (manifest.Name != name || manifest.Version != version)
            problems.Add($"{manifestPath} describes {manifest.Name} {manifest.Version}, not {name} {version}");
        try
        {
            manifest.Preprocessing?.Validate(manifestPath);
        }
        catch (InvalidDataException ex)
        {
            problems.Add(ex.Message);
        }

        string? onnxPath = null, onnxSha = null;
        foreach (var file in manifest.Files)
        {
            string? path = ModelFileLocator.Resolve(dir, file);
            if (path is null)
            {
                problems.Add($"file {file.Path} is missing (looked in {string.Join(", ", ModelFileLocator.Candidates(dir, file))})");
                continue;
            }
            string sha = ModelFileLocator.Sha256(path);
            if (!string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"file {file.Path} ({path}) has sha256 {sha} but the manifest says {file.Sha256}: the file is corrupt or was replaced");
                continue;
            }
            if (file.Role == ModelFile.OnnxRole && onnxPath is null) (onnxPath, onnxSha) = (path, sha);
        }
        if (!manifest.Files.Any(f => f.Role == ModelFile.OnnxRole)) problems.Add($"{manifestPath} lists no file with role \"onnx\"");

        IReadOnlyList<long>? backboneOutput = null;
        if (manifest.Backbone is { } bb)
        {
            var backboneCheck = Verify(bb.Name, bb.Version);
            if (!backboneCheck.IsValid) problems.Add($"backbone {bb.Name} {bb.Version} is not usable ({string.Join("; ", backboneCheck.Problems)})");
            else
            {
                var bm = backboneCheck.Manifest!;
                if (!string.Equals(bm.OnnxFile.Sha256, bb.Sha256, StringComparison.OrdinalIgnoreCase))
                    problems.Add($"backbone {bb.Name} {bb.Version} has sha256 {bm.OnnxFile.Sha256} but this head was trained on {bb.Sha256}");
                backboneOutput = bm.Output.ValuesPerImage is { } n ? [-1, n] : null;
            }
            if (manifest.Preprocessing is null) problems.Add($"{manifestPath}: a head needs preprocessing (its backbone's image input)");
        }

        InferenceSession? session = null;
        if (onnxPath is not null && problems.Count == 0)
        {
            try
            {
                using var options = new SessionOptions
                {
                    IntraOpNumThreads = manifest.Backbone is null ? BackboneThreads : 1,
                    InterOpNumThreads = 1,
                    GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
                    // One image at a time, same shapes every call: sequential execution with the memory pattern
                    // and the CPU arena reuses the activation buffers of the previous run instead of allocating.
                    ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                    EnableMemoryPattern = true,
                    EnableCpuMemArena = true,
                };
                session = new InferenceSession(onnxPath, options);
                CheckSignature(manifest, session, backboneOutput, problems);
            }
            catch (OnnxRuntimeException ex)
            {
                problems.Add($"{onnxPath} cannot be opened by ONNX Runtime: {ex.Message}");
            }
        }
        if (problems.Count > 0 || !keepSession)
        {
            session?.Dispose();
            session = null;
        }
        return (new ModelCheck(name, version, dir, manifest, problems), session, onnxPath, onnxSha);
    }

    private static void CheckSignature(ModelManifest manifest, InferenceSession session, IReadOnlyList<long>? backboneOutput, List<string> problems)
    {
        var input = manifest.Input;
        if (!session.InputMetadata.TryGetValue(input.Name, out var meta))
        {
            problems.Add($"the ONNX model has no input \"{input.Name}\" (it has {string.Join(", ", session.InputMetadata.Keys.Select(k => $"\"{k}\""))})");
        }
        else
        {
            var actual = meta.Dimensions.Select(d => (long)d).ToArray();
            if (!ShapesAgree(input.Shape, actual))
                problems.Add($"input \"{input.Name}\": the ONNX model expects shape {ModelTensor.Format(actual)} but the manifest says {ModelTensor.Format(input.Shape)}");
            if (meta.ElementType != typeof(float))
                problems.Add($"input \"{input.Name}\" holds {meta.ElementType.Name}; only float inputs are supported");
        }
        if (manifest.Backbone is null && manifest.Preprocessing is { } p)
        {
            if (input.Shape.Count != 4 || input.Shape[1] != 3 || input.Shape[2] != p.Size || input.Shape[3] != p.Size)
                problems.Add($"input \"{input.Name}\" has shape {ModelTensor.Format(input.Shape)} but preprocessing makes [1,3,{p.Size},{p.Size}]");
        }
        int extra = manifest.Preprocessing?.Features is { Count: > 0 } sets && sets.All(f => FeatureSets.LengthOf(f) is not null) ? FeatureSets.TotalLength(sets) : 0;
        if (manifest.Backbone is not null && backboneOutput is not null && input.Shape.Count == 2 && input.Shape[1] != backboneOutput[1] + extra)
            problems.Add(extra == 0
                ? $"input \"{input.Name}\" takes {input.Shape[1]} features but backbone {manifest.Backbone.Name} gives {backboneOutput[1]}"
                : $"input \"{input.Name}\" takes {input.Shape[1]} features but backbone {manifest.Backbone.Name} gives {backboneOutput[1]} and preprocessing.features ({string.Join(", ", manifest.Preprocessing!.Features!.Select(f => $"{f}: {FeatureSets.LengthOf(f)}"))}) add {extra}, {backboneOutput[1] + extra} in all");
        if (manifest.Backbone is null && manifest.Preprocessing?.Features is { Count: > 0 })
            problems.Add($"preprocessing.features is only for heads on a backbone (their input is the backbone's features followed by the feature sets); {manifest.Name} reads the image itself");
        if (manifest.Output.Shape is { } os && session.OutputMetadata.TryGetValue(manifest.Output.Name, out var om)
            && !ShapesAgree(os, om.Dimensions.Select(d => (long)d).ToArray()))
            problems.Add($"output \"{manifest.Output.Name}\": the ONNX model gives shape {ModelTensor.Format(om.Dimensions.Select(d => (long)d))} but the manifest says {ModelTensor.Format(os)}");
        if (!session.OutputMetadata.ContainsKey(manifest.Output.Name))
            problems.Add($"the ONNX model has no output \"{manifest.Output.Name}\" (it has {string.Join(", ", session.OutputMetadata.Keys.Select(k => $"\"{k}\""))})");
        else if (manifest.Output.Kind is OutputKind.Probabilities or OutputKind.Logits && session.OutputMetadata[manifest.Output.Name].Dimensions is { Length: 2 } od
                 && od[1] > 0 && od[1] != manifest.Labels.Count)
            problems.Add($"output \"{manifest.Output.Name}\" has {od[1]} values per image but the manifest lists {manifest.Labels.Count} labels");
    }

    /// <summary>Equal rank, and each manifest dimension equals the model's, or either is −1 (any size).</summary>
    private static bool ShapesAgree(IReadOnlyList<long> manifest, IReadOnlyList<long> model)
    {
        if (manifest.Count != model.Count) return false;
        for (int i = 0; i < manifest.Count; i++)
            if (manifest[i] != -1 && model[i] != -1 && manifest[i] != model[i]) return false;
        return true;
    }

    private static void RequireSafe(string value, string what)
    {
        if (!SafeName().IsMatch(value))
            throw new ArgumentException($"{what} \"{value}\" must be 1–64 lowercase letters, digits, '.', '_' or '-'.");
    }

    /// <summary>Orders versions numerically when they are numbers (2 before 10), else ordinally.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static VersionComparer Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            if (long.TryParse(x, out long a) && long.TryParse(y, out long b)) return a.CompareTo(b);
            return string.CompareOrdinal(x, y);
        }
    }
}
