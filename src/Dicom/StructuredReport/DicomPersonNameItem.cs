namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>A PNAME content item: a person name in Person Name (0040,A123), VR PN (PS3.3 C.18.4).</summary>
public sealed class DicomPersonNameItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomPersonName name)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The name, components separated by '^'.</summary>
    public DicomPersonName Name { get; } = name ?? throw new ArgumentNullException(nameof(name));

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.PName;

    /// <inheritdoc />
    protected override string DescribeValue() => $"\"{Name.Value}\"";
}
