namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A content item the reader does not model (SCOORD, SCOORD3D, TCOORD, WAVEFORM, DATE, TIME, TABLE, or a
/// by-reference relationship), kept with its raw item so a viewer can still show it and its children.
/// </summary>
public sealed class DicomUnsupportedContentItem(DicomRelationshipType? relationship, DicomCodedEntry? conceptName, string valueTypeTerm, DicomDataset raw)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The Value Type (0040,A040) as read; empty for a by-reference item (which has Referenced Content Item Identifier instead).</summary>
    public string ValueTypeTerm { get; } = valueTypeTerm;

    /// <summary>The item as read (children included).</summary>
    public DicomDataset Raw { get; } = raw;

    /// <summary>The parsed value type; <see cref="DicomValueType.Container"/> stands in when the term is empty or unknown (check <see cref="ValueTypeTerm"/>).</summary>
    public override DicomValueType ValueType => DicomValueTypes.TryParse(ValueTypeTerm, out var t) ? t : DicomValueType.Container;

    /// <inheritdoc />
    protected override string DescribeValue() => $"[{(ValueTypeTerm.Length > 0 ? ValueTypeTerm : "by-reference")}, not decoded]";
}
