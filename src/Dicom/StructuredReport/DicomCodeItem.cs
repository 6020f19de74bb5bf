namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>A CODE content item: a coded value in Concept Code Sequence (0040,A168) (PS3.3 C.18.2).</summary>
public sealed class DicomCodeItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomCodedEntry code)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The coded value.</summary>
    public DicomCodedEntry Code { get; } = code;

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Code;

    /// <inheritdoc />
    protected override string DescribeValue() => Code.ToString();
}
