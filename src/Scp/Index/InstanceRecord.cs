using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Index;

/// <summary>
/// What the index keeps about one stored instance, filled by the store handler from the dataset. Strings are the
/// attribute values as received (padding removed), dates as DA (YYYYMMDD), times as TM; multi-valued attributes
/// keep the backslash. Attributes that are not columns go to the per-level <c>Extra</c> maps, which are stored as
/// JSON and can be returned (not matched) by C-FIND.
/// </summary>
public sealed record InstanceRecord
{
    // Patient (PS3.3 C.7.1.1)
    public string? PatientId { get; init; }
    public string? PatientName { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? PatientSex { get; init; }
    public string? IssuerOfPatientId { get; init; }

    // Study (C.7.2.1)
    public required string StudyInstanceUid { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyTime { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyId { get; init; }
    public string? StudyDescription { get; init; }
    public string? ReferringPhysicianName { get; init; }

    // Series (C.7.3.1) and equipment (C.7.5.1), which C-FIND treats as series level
    public required string SeriesInstanceUid { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? BodyPartExamined { get; init; }
    public string? Manufacturer { get; init; }
    public string? ManufacturerModelName { get; init; }
    public string? SeriesDate { get; init; }
    public string? SeriesTime { get; init; }

    // Instance (C.12.1, C.7.6.1, C.17.2 SR Document General)
    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; init; }
    public int? InstanceNumber { get; init; }
    public string? TransferSyntaxUid { get; init; }
    public string? ContentDate { get; init; }
    public string? ContentTime { get; init; }
    public string? CompletionFlag { get; init; }
    public string? VerificationFlag { get; init; }
    public string? PreliminaryFlag { get; init; }
    /// <summary>First item of Concept Name Code Sequence (0040,A043): Code Value.</summary>
    public string? ConceptNameCodeValue { get; init; }
    /// <summary>First item of Concept Name Code Sequence: Coding Scheme Designator.</summary>
    public string? ConceptNameCodingSchemeDesignator { get; init; }
    /// <summary>First item of Concept Name Code Sequence: Code Meaning.</summary>
    public string? ConceptNameCodeMeaning { get; init; }
    public string? ImageType { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }
    public int? NumberOfFrames { get; init; }

    /// <summary>Path of the file relative to the store root.</summary>
    public required string FilePath { get; init; }
    public long FileSize { get; init; }
    public string? Sha256 { get; init; }

    /// <summary>Specific Character Set (0008,0005) of the instance, backslash-separated as received.</summary>
    public string? SpecificCharacterSet { get; init; }

    public IReadOnlyDictionary<DicomTag, string>? PatientExtra { get; init; }
    public IReadOnlyDictionary<DicomTag, string>? StudyExtra { get; init; }
    public IReadOnlyDictionary<DicomTag, string>? SeriesExtra { get; init; }
    public IReadOnlyDictionary<DicomTag, string>? InstanceExtra { get; init; }
}
