namespace EdgeCancer.Inference.Preprocessing;

/// <summary>A display window that becomes one input channel: HU in [center − width/2, center + width/2] → 0–255.</summary>
public sealed record CtWindow(string Name, double Center, double Width)
{
    /// <summary>Lung window (−600/1500).</summary>
    public static CtWindow Lung { get; } = new("lung", -600, 1500);
    /// <summary>Mediastinum / soft-tissue window (50/350).</summary>
    public static CtWindow Mediastinum { get; } = new("mediastinum", 50, 350);
    /// <summary>Bone window (480/2500).</summary>
    public static CtWindow Bone { get; } = new("bone", 480, 2500);
}

/// <summary>
/// How a DICOM image becomes a model's image tensor: stored values → HU (Modality LUT) → one channel per window
/// (0–255) → bilinear resize to <see cref="Size"/> → minus <see cref="Mean"/> per channel, planes in
/// <see cref="ChannelOrder"/>.
/// </summary>
/// <param name="Modalities">Modalities (0008,0060) analysed; others are "not analysed".</param>
/// <param name="Windows">Windows in RGB order: the first is the red channel, the second green, the third blue.</param>
/// <param name="Size">Output rows and columns.</param>
/// <param name="ChannelOrder"><c>RGB</c> or <c>BGR</c>: the order of the planes in the tensor.</param>
/// <param name="Mean">Subtracted from each channel, given in RGB order (R, G, B).</param>
/// <param name="MinimumSize">Images with fewer rows or columns are not analysed.</param>
/// <param name="Tiles">Tiles per side: 1 = the whole image; 2 = four overlapping crops (each 60 % of the image's
/// width and height), each resized to <see cref="Size"/> and passed through the backbone, their features max-pooled.
/// Small findings then cover four times more of the network's field.</param>
/// <param name="Features">Feature sets (<see cref="FeatureSets"/>, e.g. <c>lung-lesions/1</c>) computed from the image in HU
/// and appended, in this order, after the backbone's features: the head's input is their concatenation. Heads only.</param>
public sealed record PreprocessingSpec(
    IReadOnlyList<string> Modalities,
    IReadOnlyList<CtWindow> Windows,
    int Size,
    string ChannelOrder,
    IReadOnlyList<double> Mean,
    int MinimumSize = 32,
    int Tiles = 1,
    IReadOnlyList<string>? Features = null)
{
    /// <summary>Fraction of the image's width and height one tile covers when <see cref="Tiles"/> is 2.</summary>
    public const double TileFraction = 0.6;

    /// <summary>Lung, mediastinum and bone windows as R, G, B at 224, BGR planes minus the ImageNet mean (ResNet18 from ML.NET's featurizer package).</summary>
    public static PreprocessingSpec ResNet18Ct { get; } = new(
        ["CT"], [CtWindow.Lung, CtWindow.Mediastinum, CtWindow.Bone], 224, "BGR", [123.15, 115.90, 103.06]);

    /// <summary>Throws <see cref="InvalidDataException"/> naming the field when the spec cannot be applied.</summary>
    public void Validate(string where)
    {
        if (Windows.Count != 3) throw new InvalidDataException($"{where}: preprocessing.windows must list 3 windows (one per channel), found {Windows.Count}.");
        foreach (var w in Windows)
            if (!(w.Width > 0) || !double.IsFinite(w.Center)) throw new InvalidDataException($"{where}: window \"{w.Name}\" needs a finite center and a positive width.");
        if (Size is < 8 or > 2048) throw new InvalidDataException($"{where}: preprocessing.size must be 8–2048 (was {Size}).");
        if (ChannelOrder is not ("RGB" or "BGR")) throw new InvalidDataException($"{where}: preprocessing.channelOrder must be RGB or BGR (was {ChannelOrder}).");
        if (Tiles is not (1 or 2)) throw new InvalidDataException($"{where}: preprocessing.tiles must be 1 or 2 (was {Tiles}).");
        if (Mean.Count != 3) throw new InvalidDataException($"{where}: preprocessing.mean must hold 3 values (R, G, B), found {Mean.Count}.");
        foreach (var f in Features ?? [])
            if (FeatureSets.LengthOf(f) is null)
                throw new InvalidDataException($"{where}: preprocessing.features names an unknown feature set \"{f}\" (known: {string.Join(", ", FeatureSets.Known.Keys)}).");
    }

    /// <summary>Values the feature sets add after the backbone's features.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int FeatureSetLength => FeatureSets.TotalLength(Features);

    /// <summary>A key equal for specs that produce the same tensor (heads with equal keys share one backbone pass);
    /// <see cref="Features"/> is not part of it: they are computed beside the tensor.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => string.Join("|", Modalities) + ";" + string.Join("|", Windows.Select(w => FormattableString.Invariant($"{w.Center}/{w.Width}")))
        + FormattableString.Invariant($";{Size};{ChannelOrder};{Mean[0]},{Mean[1]},{Mean[2]};{MinimumSize}") + (Tiles == 1 ? "" : $";tiles={Tiles}");
}
