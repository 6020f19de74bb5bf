namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>
/// One model that produced a result: its name, version and the sha256 of its weights, recorded in TID 4019
/// (Algorithm Name, Algorithm Version, Algorithm Parameters "sha256=…") and in Contributing Equipment.
/// </summary>
/// <param name="Name">Model name, e.g. "chest-malignancy".</param>
/// <param name="Version">Model version (model and weights), e.g. "1.4.1".</param>
/// <param name="Sha256">Lower-case hex sha256 of the model file(s).</param>
public sealed record AiModelInfo(string Name, string Version, string Sha256)
{
    /// <summary>Further Algorithm Parameters rows ("key=value"), written before the threshold and hash.</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];
}

/// <summary>
/// The node that writes AI documents: General Equipment in the header and the TID 1004 device observer in the content
/// (SR.md §2.5). <see cref="DeviceUid"/> is the Device UID and the Device Observer UID, stable per deployed node.
/// </summary>
public sealed record AiDeviceInfo(DicomUid DeviceUid, string Name, string Manufacturer, string ModelName)
{
    /// <summary>Device Serial Number / Device Observer Serial Number.</summary>
    public string? SerialNumber { get; init; }

    /// <summary>The node's software version (Software Versions in General Equipment).</summary>
    public string? SoftwareVersion { get; init; }

    /// <summary>Station Name (≤16 characters); <see cref="Name"/> when it fits and this is null.</summary>
    public string? StationName { get; init; }

    /// <summary>Institution Name.</summary>
    public string? InstitutionName { get; init; }

    internal DicomSrEquipment ToEquipment() => new(Manufacturer)
    {
        ModelName = ModelName,
        SerialNumber = SerialNumber,
        SoftwareVersions = SoftwareVersion,
        DeviceUid = DeviceUid,
        StationName = StationName ?? (Name.Length <= 16 ? Name : null),
        InstitutionName = InstitutionName,
    };
}

/// <summary>The SR series a document goes in (SR.md §0 "Series layout").</summary>
public sealed record SrSeriesInfo(DicomUid SeriesInstanceUid, int SeriesNumber, string Description);
