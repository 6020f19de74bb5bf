namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>Continuity Of Content (0040,A050) of a CONTAINER (PS3.3 C.18.8.1.1).</summary>
public enum DicomContinuityOfContent
{
    /// <summary>SEPARATE: the children are independent statements.</summary>
    Separate,
    /// <summary>CONTINUOUS: the children are one running narrative.</summary>
    Continuous,
}

/// <summary>
/// A template identification for a CONTAINER: one item of Content Template Sequence (0040,A504) with Mapping
/// Resource (0008,0105) and Template Identifier (0040,DB00) (PS3.3 Table C.18.8-1).
/// </summary>
public readonly record struct DicomContentTemplate(string MappingResource, string TemplateIdentifier)
{
    /// <summary>A template of the DICOM Content Mapping Resource (PS3.16), e.g. <c>Dcmr("1500")</c>.</summary>
    public static DicomContentTemplate Dcmr(string templateIdentifier) => new("DCMR", templateIdentifier);
}

/// <summary>A CONTAINER content item: a heading that groups its children (PS3.3 C.18.8).</summary>
public sealed class DicomContainerItem : DicomContentItem
{
    /// <summary>Creates a container; <paramref name="relationship"/> is null for the document root, which must be named (its concept name is the document title).</summary>
    public DicomContainerItem(DicomRelationshipType? relationship, DicomCodedEntry? conceptName,
        DicomContentTemplate? template = null, DicomContinuityOfContent continuity = DicomContinuityOfContent.Separate)
        : base(relationship, conceptName)
    {
        Template = template;
        Continuity = continuity;
    }

    /// <summary>The template the container's content follows, if declared.</summary>
    public DicomContentTemplate? Template { get; }

    /// <summary>Continuity of content; SEPARATE unless a narrative.</summary>
    public DicomContinuityOfContent Continuity { get; }

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Container;

    /// <inheritdoc />
    protected override string DescribeValue() => Continuity == DicomContinuityOfContent.Separate ? "SEPARATE" : "CONTINUOUS";
}
