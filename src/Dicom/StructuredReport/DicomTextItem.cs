namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>A TEXT content item: free text in Text Value (0040,A160), VR UT (PS3.3 C.18.1).</summary>
public sealed class DicomTextItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, string text)
    : DicomContentItem(relationship, conceptName)
{
    /// <summary>The text.</summary>
    public string Text { get; } = text ?? throw new ArgumentNullException(nameof(text));

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Text;

    /// <inheritdoc />
    protected override string DescribeValue() => $"\"{Text}\"";
}
