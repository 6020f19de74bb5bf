using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Query;

/// <summary>
/// One C-FIND match. <see cref="Values"/> holds every returned key, null for zero length; the VR of each is in
/// <see cref="FindPlan.ReturnKeys"/>. At IMAGE level the file location is given for C-MOVE/C-GET.
/// </summary>
public sealed class FindResult
{
    public required QueryLevel Level { get; init; }
    public required IReadOnlyDictionary<DicomTag, string?> Values { get; init; }
    /// <summary>Returned sequences: items, each a map of item keys to values.</summary>
    public required IReadOnlyDictionary<DicomTag, IReadOnlyList<IReadOnlyDictionary<DicomTag, string?>>> Sequences { get; init; }
    /// <summary>Specific Character Set of the matched entity's stored data (study or instance), when known.</summary>
    public string? SpecificCharacterSet { get; init; }
    public string? StudyInstanceUid { get; init; }
    public string? SeriesInstanceUid { get; init; }
    public string? SopInstanceUid { get; init; }
    public string? SopClassUid { get; init; }
    public string? TransferSyntaxUid { get; init; }
    /// <summary>IMAGE level: file path relative to the store root.</summary>
    public string? FilePath { get; init; }
    public long? FileSize { get; init; }
}
