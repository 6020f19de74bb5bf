namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>An IMAGE content item: a reference to an image in Referenced SOP Sequence (0008,1199) (PS3.3 C.18.4, Table C.18.3-1).</summary>
public sealed class DicomImageItem(DicomRelationshipType? relationship, DicomCodedEntry? conceptName, DicomSopReference reference)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The referenced image (class, instance, frames).</summary>
    public DicomSopReference Reference { get; } = reference ?? throw new ArgumentNullException(nameof(reference));

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Image;

    /// <inheritdoc />
    protected override string DescribeValue() => $"(\"{Reference.SopClassUid.Value}\",\"{Reference.SopInstanceUid.Value}\")";
}
