using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Ground truth written as <c>labels.json</c> beside a synthetic series: region, series-level malignancy label
/// (true when at least one lesion is malignant-looking; healthy controls and benign-only patients are false), the
/// lesions, and per slice which lesions its plane cuts.
/// </summary>
public sealed record SeriesLabels(
    string Schema,
    long Seed,
    int PatientIndex,
    string PatientId,
    string PatientName,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    BodyRegion BodyRegion,
    bool Malignant,
    bool LesionPresent,
    double SliceThicknessMm,
    double SliceSpacingMm,
    double PixelSpacingMm,
    double RescaleIntercept,
    double DoseFactor,
    double NoiseSigmaHu,
    IReadOnlyList<Lesion> Lesions,
    IReadOnlyList<SliceLabel> Slices)
{
    /// <summary>The schema name written in every file.</summary>
    public const string SchemaName = "edgecancer-synth-labels/1";

    /// <summary>File name of the labels inside a series folder.</summary>
    public const string FileName = "labels.json";

    /// <summary>JSON options: camelCase, enums as kebab-case strings, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Reads a labels file.</summary>
    public static SeriesLabels Load(string path) =>
        JsonSerializer.Deserialize<SeriesLabels>(File.ReadAllText(path), JsonOptions) ?? throw new InvalidDataException($"{path} holds no labels.");

    /// <summary>Writes the labels to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");
}

/// <summary>Ground truth of one image.</summary>
/// <param name="InstanceNumber">1-based, as in (0020,0013).</param>
/// <param name="File">File name within the series folder.</param>
/// <param name="SopInstanceUid">The image's SOP Instance UID.</param>
/// <param name="ZMm">Slice location (mm).</param>
/// <param name="LesionPresent">True when the plane cuts a lesion's main body with a section of at least 1 mm.</param>
/// <param name="Malignant">True when one of those lesions is malignant-looking.</param>
/// <param name="LesionIds">Ids of the lesions cut.</param>
/// <param name="SectionDiametersMm">Section diameter of each lesion cut, same order.</param>
public sealed record SliceLabel(
    int InstanceNumber,
    string File,
    string SopInstanceUid,
    double ZMm,
    bool LesionPresent,
    bool Malignant,
    IReadOnlyList<int> LesionIds,
    IReadOnlyList<double> SectionDiametersMm);
