using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeCancer.Inference.Preprocessing;

namespace EdgeCancer.Inference.Models;

/// <summary>
/// <c>models/&lt;name&gt;/&lt;version&gt;/model.json</c>: what a model does, what it takes, how images are prepared for
/// it, where it came from and how well it did. A model is this manifest plus the files it lists; any ONNX classifier
/// described by one can be plugged in without code.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The schema name written in every manifest.</summary>
    public const string SchemaName = "edgecancer-model/1";

    /// <summary>File name of a manifest inside a version folder.</summary>
    public const string FileName = "model.json";

    public string Schema { get; init; } = SchemaName;

    /// <summary>Model name, also its folder under <c>models/</c> (lowercase letters, digits and dashes).</summary>
    public required string Name { get; init; }

    /// <summary>Version, also its folder under <c>models/&lt;name&gt;/</c>.</summary>
    public required string Version { get; init; }

    /// <summary>What the model computes.</summary>
    public required ModelTask Task { get; init; }

    /// <summary>One sentence for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>Class labels in output order. For a binary classifier: [negative, positive].</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>The ONNX input the model reads.</summary>
    public required ModelTensor Input { get; init; }

    /// <summary>The ONNX output the result is taken from.</summary>
    public required ModelOutput Output { get; init; }

    /// <summary>For a head on a shared feature extractor: the backbone whose output is this model's input. Null when the model reads the image itself.</summary>
    public BackboneReference? Backbone { get; init; }

    /// <summary>When set, the model runs only on images another model labels so (the malignancy head only on chest images).</summary>
    public ModelGate? AppliesTo { get; init; }

    /// <summary>How a DICOM image becomes the image tensor (of this model, or of its backbone). Null for a backbone manifest (its heads say).</summary>
    public PreprocessingSpec? Preprocessing { get; init; }

    /// <summary>Decision thresholds by name (e.g. <c>malignant</c>: probability at or above which an image is reported as suspicious).</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>The data the model was trained and evaluated on.</summary>
    public TrainingDescription? Training { get; init; }

    /// <summary>Held-out metrics by name (e.g. <c>heldOutAccuracy</c>, <c>heldOutAuc</c>).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Intended use, plainly.</summary>
    public string IntendedUse { get; init; } = "";

    /// <summary>The files of the model; the first with role <c>onnx</c> is the network.</summary>
    public required IReadOnlyList<ModelFile> Files { get; init; }

    /// <summary>The ONNX file entry.</summary>
    [JsonIgnore]
    public ModelFile OnnxFile => Files.FirstOrDefault(f => f.Role == ModelFile.OnnxRole)
        ?? throw new InvalidDataException($"model {Name} {Version}: no file with role \"onnx\" in {FileName}.");

    /// <summary>JSON options: camelCase, enums as kebab-case strings, indented, nulls omitted.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads a manifest; throws <see cref="InvalidDataException"/> naming the file when it is not a manifest.</summary>
    public static ModelManifest Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path} holds no manifest.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid model manifest: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the manifest to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
}

/// <summary>What a model computes.</summary>
public enum ModelTask
{
    /// <summary>A feature extractor shared by heads (no labels).</summary>
    FeatureExtraction,
    /// <summary>One of several labels; the output is a probability per label.</summary>
    Classification,
    /// <summary>Probability of the positive (second) label.</summary>
    BinaryClassification,
}

/// <summary>An ONNX tensor by name and shape; −1 marks a dimension of any size (batch).</summary>
public sealed record ModelTensor(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>The shape as <c>[1,3,224,224]</c>.</summary>
    public static string Format(IEnumerable<long> shape) => "[" + string.Join(",", shape) + "]";
}

/// <summary>How to read the output tensor.</summary>
public enum OutputKind
{
    /// <summary>One probability per label (softmax already applied).</summary>
    Probabilities,
    /// <summary>One probability per label after a softmax applied here (the model emits logits).</summary>
    Logits,
    /// <summary>A single probability of the positive label.</summary>
    Probability,
    /// <summary>A feature vector (backbones).</summary>
    Features,
}

/// <summary>The output a result is taken from.</summary>
/// <param name="Shape">Its shape when fixed (a backbone's feature tensor, e.g. [1,512,1,1]); checked against the model.</param>
public sealed record ModelOutput(string Name, OutputKind Kind, IReadOnlyList<long>? Shape = null)
{
    /// <summary>Values per image (product of the dimensions after the batch), or null when the shape is not given.</summary>
    public long? ValuesPerImage => Shape is { Count: > 1 } s ? s.Skip(1).Aggregate(1L, (a, b) => a * b) : null;
}

/// <summary>A condition on another model's result: <paramref name="Model"/> must predict <paramref name="Label"/>.</summary>
public sealed record ModelGate(string Model, string Label);

/// <summary>The backbone a head sits on.</summary>
/// <param name="Name">Backbone model name in the registry.</param>
/// <param name="Version">Backbone version the head was trained with (a head is only valid on that backbone).</param>
/// <param name="Sha256">SHA-256 of the backbone's ONNX file the head was trained with.</param>
public sealed record BackboneReference(string Name, string Version, string Sha256);

/// <summary>One file of a model.</summary>
/// <param name="Path">Relative to the version folder.</param>
/// <param name="Sha256">Lowercase hex SHA-256 of the file's bytes.</param>
/// <param name="Bytes">File size.</param>
/// <param name="Role"><c>onnx</c> for the network; anything else is informational.</param>
/// <param name="Sources">Where the file can be found when it is not in the version folder (large files kept out of
/// git): paths, with <c>~</c> for the home folder and <c>$NUGET_PACKAGES</c> for the NuGet package folder.</param>
public sealed record ModelFile(string Path, string Sha256, long Bytes, string Role, IReadOnlyList<string>? Sources = null)
{
    /// <summary>Role of the network file.</summary>
    public const string OnnxRole = "onnx";
}

/// <summary>Provenance of a trained model.</summary>
public sealed record TrainingDescription(
    string Data,
    string Command,
    long TrainSeed,
    long HeldOutSeed,
    int TrainImages,
    int HeldOutImages,
    IReadOnlyDictionary<string, int> TrainImagesPerLabel,
    IReadOnlyDictionary<string, int> HeldOutImagesPerLabel,
    string Trainer);
