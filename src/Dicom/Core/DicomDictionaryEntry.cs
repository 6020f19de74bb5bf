namespace EdgeCancer.Dicom;

/// <summary>One data element of the PS3.6 registry (or a private dictionary).</summary>
/// <param name="Tag">The tag; for repeating groups such as (60xx,3000) the x digits are zero.</param>
/// <param name="Mask">Bits of a tag that must equal <paramref name="Tag"/> to match: 0xFFFFFFFF for an ordinary tag, 0xFF00FFFF for (60xx,eeee).</param>
/// <param name="ValueRepresentations">Allowed VRs, most usual first ("US or SS" → [US, SS]); empty for item/delimiter tags.</param>
/// <param name="ValueMultiplicity">VM as written in PS3.6, e.g. "1", "1-n", "2-2n".</param>
/// <param name="Keyword">Keyword, e.g. "PatientName".</param>
/// <param name="Name">Name, e.g. "Patient's Name".</param>
/// <param name="IsRetired">True when PS3.6 lists it as retired.</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    DicomVR[] ValueRepresentations,
    string ValueMultiplicity,
    string Keyword,
    string Name,
    bool IsRetired)
{
    /// <summary>The first (usual) VR, or UN when none is listed.</summary>
    public DicomVR ValueRepresentation => ValueRepresentations.Length > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>True when <paramref name="tag"/> falls under this entry (taking the repeating-group mask into account).</summary>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;
}
