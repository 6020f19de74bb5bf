using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Query;

/// <summary>Query/Retrieve Level (0008,0052), PS3.4 C.6.</summary>
public enum QueryLevel
{
    Patient = 0,
    Study = 1,
    Series = 2,
    Image = 3,
}

/// <summary>Query/Retrieve Information Model, PS3.4 C.6.1 and C.6.2.</summary>
public enum QueryModel
{
    PatientRoot,
    StudyRoot,
}

/// <summary>
/// One key of a C-FIND identifier. <see cref="Value"/> is the attribute value as a string (backslashes between
/// values, trailing padding removed); null or empty asks for universal matching (return only). For a sequence,
/// <see cref="SequenceItemKeys"/> holds the keys of its single item; null or empty means "return the whole sequence".
/// </summary>
public sealed record QueryKey(DicomTag Tag, DicomVR VR, string? Value, IReadOnlyList<QueryKey>? SequenceItemKeys = null);

/// <summary>
/// A C-FIND request. <see cref="CombineDateTimeMatching"/> is set when the association negotiated combined date and
/// time range matching (SOP Class Extended Negotiation, PS3.4 C.5.1.1); then a date key and its time key
/// (StudyDate/StudyTime, SeriesDate/SeriesTime, ContentDate/ContentTime) match as one datetime range (C.2.2.2.5).
/// </summary>
public sealed record FindRequest(QueryModel Model, QueryLevel Level, IReadOnlyList<QueryKey> Keys, bool CombineDateTimeMatching = false);

/// <summary>Why a C-FIND identifier was not accepted; the handler maps it to a DIMSE status.</summary>
public enum FindFailure
{
    None,
    /// <summary>0xA900 "Identifier does not match SOP Class": a key below the query level, or a level the model lacks.</summary>
    IdentifierDoesNotMatchSopClass,
    /// <summary>0xC000 "Unable to process": a key value that cannot be parsed (e.g. a malformed date range).</summary>
    UnableToProcess,
}
