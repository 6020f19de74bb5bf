namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>A COMPOSITE content item: a reference to any composite SOP instance (PS3.3 C.18.3).</summary>
public sealed class DicomCompositeItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomSopReference reference)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The referenced instance.</summary>
    public DicomSopReference Reference { get; } = reference ?? throw new ArgumentNullException(nameof(reference));

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Composite;

    /// <inheritdoc />
    protected override string DescribeValue() => $"(\"{Reference.SopClassUid.Value}\",\"{Reference.SopInstanceUid.Value}\")";
}
