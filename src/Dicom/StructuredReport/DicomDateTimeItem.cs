namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A DATETIME content item: a DT value in DateTime (0040,A120) (PS3.3 C.18.7). The value is kept as the DT text so
/// that partial precision and an absent offset survive a round trip.
/// </summary>
public sealed class DicomDateTimeItem : DicomContentItem
{
    /// <summary>Creates an item with an explicit DT text (YYYYMMDDHHMMSS[.FFFFFF][&amp;ZZXX]).</summary>
    public DicomDateTimeItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, string dicomDateTime)
        : base(relationship, conceptName)
    {
        if (string.IsNullOrEmpty(dicomDateTime) || dicomDateTime.Length > 26) throw new ArgumentException($"'{dicomDateTime}' is not a DT value (1-26 characters).", nameof(dicomDateTime));
        Value = dicomDateTime;
    }

    /// <summary>Creates an item for a point in time, written with its UTC offset.</summary>
    public DicomDateTimeItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DateTimeOffset value)
        : this(relationship, conceptName, DicomDateTime.FormatDateTime(value)) { }

    /// <summary>The DT text.</summary>
    public string Value { get; }

    /// <summary>The parsed value.</summary>
    public DateTimeOffset ToDateTimeOffset() => DicomDateTime.ParseDateTime(Value);

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.DateTime;

    /// <inheritdoc />
    protected override string DescribeValue() => $"\"{Value}\"";
}
