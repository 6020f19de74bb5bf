namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>
/// The coded concepts of our AI reports, exactly as SR.md §2.2 lists them (PS3.16 2026b as shipped in DCMTK
/// <c>dcmsr/codes</c>). Local concepts use <see cref="LocalScheme"/>, declared in every document that uses it.
/// </summary>
public static class SrCodes
{
    /// <summary>Our private coding scheme designator (a 99-prefixed local scheme, PS3.16 §8.2).</summary>
    public const string LocalScheme = "99EDGECANCER";

    /// <summary>The Coding Scheme Identification Sequence entry for <see cref="LocalScheme"/>.</summary>
    public static DicomCodingScheme LocalSchemeDeclaration { get; } = new(LocalScheme, "EdgeCancer local codes", "EdgeCancer project");

    // Document structure (TID 1500, 1501, 1600)
    public static DicomCodedEntry ImagingMeasurementReport { get; } = new("126000", "DCM", "Imaging Measurement Report");
    public static DicomCodedEntry LanguageOfContent { get; } = new("121049", "DCM", "Language of Content Item and Descendants");
    public static DicomCodedEntry EnglishUnitedStates { get; } = new("en-US", "RFC5646", "English (United States)");
    public static DicomCodedEntry ProcedureReported { get; } = new("121058", "DCM", "Procedure reported");
    public static DicomCodedEntry CtUnspecifiedBodyRegion { get; } = new("25045-6", "LN", "CT unspecified body region");
    public static DicomCodedEntry ImageLibrary { get; } = new("111028", "DCM", "Image Library");
    public static DicomCodedEntry ImageLibraryGroup { get; } = new("126200", "DCM", "Image Library Group");
    public static DicomCodedEntry Modality { get; } = new("121139", "DCM", "Modality");
    public static DicomCodedEntry ComputedTomography { get; } = new("CT", "DCM", "Computed Tomography");
    public static DicomCodedEntry ImagingMeasurements { get; } = new("126010", "DCM", "Imaging Measurements");
    public static DicomCodedEntry MeasurementGroup { get; } = new("125007", "DCM", "Measurement Group");
    public static DicomCodedEntry TrackingIdentifier { get; } = new("112039", "DCM", "Tracking Identifier");
    public static DicomCodedEntry TrackingUniqueIdentifier { get; } = new("112040", "DCM", "Tracking Unique Identifier");
    public static DicomCodedEntry SourceOfMeasurement { get; } = new("121112", "DCM", "Source of Measurement");
    public static DicomCodedEntry QualitativeEvaluations { get; } = new("C0034375", "UMLS", "Qualitative Evaluations");
    public static DicomCodedEntry Impression { get; } = new("121073", "DCM", "Impression");

    // Observer context (TID 1002/1003/1004)
    public static DicomCodedEntry ObserverType { get; } = new("121005", "DCM", "Observer Type");
    public static DicomCodedEntry Device { get; } = new("121007", "DCM", "Device");
    public static DicomCodedEntry Person { get; } = new("121006", "DCM", "Person");
    public static DicomCodedEntry DeviceObserverUid { get; } = new("121012", "DCM", "Device Observer UID");
    public static DicomCodedEntry DeviceObserverName { get; } = new("121013", "DCM", "Device Observer Name");
    public static DicomCodedEntry DeviceObserverManufacturer { get; } = new("121014", "DCM", "Device Observer Manufacturer");
    public static DicomCodedEntry DeviceObserverModelName { get; } = new("121015", "DCM", "Device Observer Model Name");
    public static DicomCodedEntry DeviceObserverSerialNumber { get; } = new("121016", "DCM", "Device Observer Serial Number");
    public static DicomCodedEntry PersonObserverName { get; } = new("121008", "DCM", "Person Observer Name");
    public static DicomCodedEntry PersonObserverOrganization { get; } = new("121009", "DCM", "Person Observer's Organization Name");

    // Algorithm identification (TID 4019)
    public static DicomCodedEntry AlgorithmName { get; } = new("111001", "DCM", "Algorithm Name");
    public static DicomCodedEntry AlgorithmVersion { get; } = new("111003", "DCM", "Algorithm Version");
    public static DicomCodedEntry AlgorithmParameters { get; } = new("111002", "DCM", "Algorithm Parameters");
    public static DicomCodedEntry AlgorithmFamily { get; } = new("111000", "DCM", "Algorithm Family");
    public static DicomCodedEntry ArtificialIntelligence { get; } = new("123110", "DCM", "Artificial Intelligence");

    // Findings and measurements
    public static DicomCodedEntry TargetRegion { get; } = new("123014", "DCM", "Target Region");
    public static DicomCodedEntry Probability { get; } = new("122157", "DCM", "Probability");
    public static DicomCodedEntry ProbabilityOfCancer { get; } = new("111047", "DCM", "Probability of cancer");
    public static DicomCodedEntry SuspiciousForMalignancy { get; } = new("MALSUSP", LocalScheme, "Suspicious for malignancy");
    public static DicomCodedEntry Yes { get; } = new("373066001", "SCT", "Yes");
    public static DicomCodedEntry No { get; } = new("373067005", "SCT", "No");
    public static DicomCodedEntry Derivation { get; } = new("121401", "DCM", "Derivation");
    public static DicomCodedEntry Mean { get; } = new("373098007", "SCT", "Mean");
    public static DicomCodedEntry Maximum { get; } = new("56851009", "SCT", "Maximum");
    public static DicomCodedEntry Percent { get; } = new("%", "UCUM", "Percent");
    public static DicomCodedEntry MeasurementNotAttempted { get; } = new("114007", "DCM", "Measurement not attempted");
    public static DicomCodedEntry ProcessingEquipment { get; } = new("109102", "DCM", "Processing Equipment");

    // Anatomic regions (CID 4031)
    public static DicomCodedEntry Chest { get; } = new("816094009", "SCT", "Chest");
    /// <summary>The pre-2020c SNOMED code for Chest; readers must accept it too (SR.md §2.2).</summary>
    public static DicomCodedEntry ChestLegacy { get; } = new("51185008", "SCT", "Chest");
    public static DicomCodedEntry Abdomen { get; } = new("818981001", "SCT", "Abdomen");
    public static DicomCodedEntry Pelvis { get; } = new("816092008", "SCT", "Pelvis");
    public static DicomCodedEntry Head { get; } = new("69536005", "SCT", "Head");
    public static DicomCodedEntry Neck { get; } = new("45048000", "SCT", "Neck");
    public static DicomCodedEntry ChestAndAbdomen { get; } = new("416550000", "SCT", "Chest and Abdomen");
    public static DicomCodedEntry ChestAbdomenAndPelvis { get; } = new("416775004", "SCT", "Chest, Abdomen and Pelvis");
    public static DicomCodedEntry EntireBody { get; } = new("38266002", "SCT", "Entire body");
    public static DicomCodedEntry NonChestRegion { get; } = new("NONCHEST", LocalScheme, "Non-chest region");

    /// <summary>True for either Chest code (current 816094009 or legacy 51185008).</summary>
    public static bool IsChest(DicomCodedEntry region) => region.Matches(Chest) || region.Matches(ChestLegacy);

    /// <summary>
    /// The CID 4031 region for a classifier label (chest, head, abdomen, pelvis, neck, …; case-insensitive);
    /// any other label ("other") maps to the local NONCHEST code.
    /// </summary>
    public static DicomCodedEntry RegionForLabel(string label) => label.Trim().ToLowerInvariant() switch
    {
        "chest" or "thorax" => Chest,
        "head" => Head,
        "abdomen" => Abdomen,
        "pelvis" => Pelvis,
        "neck" => Neck,
        "chest-abdomen" or "chest and abdomen" => ChestAndAbdomen,
        "chest-abdomen-pelvis" or "chest, abdomen and pelvis" => ChestAbdomenAndPelvis,
        "whole-body" or "entire body" => EntireBody,
        _ => NonChestRegion,
    };
}
