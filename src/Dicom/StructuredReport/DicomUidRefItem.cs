namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>A UIDREF content item: a UID in UID (0040,A124) (PS3.3 C.18.5).</summary>
public sealed class DicomUidRefItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomUid uid)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The UID.</summary>
    public DicomUid Uid { get; } = uid;

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.UidRef;

    /// <inheritdoc />
    protected override string DescribeValue() => $"\"{Uid.Value}\"";
}
