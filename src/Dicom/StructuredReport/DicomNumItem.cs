namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A NUM content item (PS3.3 C.18.1, Numeric Measurement Macro Table C.18.1-1): a number with units in Measured Value
/// Sequence (0040,A300), or — when no value can be given — an empty Measured Value Sequence and a reason in Numeric
/// Value Qualifier Code Sequence (0040,A301), e.g. (114007,DCM,"Measurement not attempted").
/// </summary>
public sealed class DicomNumItem : DicomContentItem
{
    /// <summary>Creates a measured NUM. The DS text is <paramref name="numericText"/> when given, otherwise the
    /// shortest ≤16-character form of <paramref name="value"/>; when the text does not hold the full double, the
    /// writer adds Floating Point Value (0040,A161) (Type 1C).</summary>
    public DicomNumItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, double value, DicomCodedEntry units, string? numericText = null)
        : base(relationship, conceptName)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "A NUM value must be finite; use DicomNumItem.NotMeasured for a missing value.");
        numericText ??= DicomValueCodec.FormatDecimalString(value);
        if (numericText.Length > 16) throw new ArgumentException($"Numeric Value '{numericText}' is longer than the 16 characters DS allows (PS3.5 Table 6.2-1).", nameof(numericText));
        Value = value;
        NumericText = numericText;
        Units = units;
    }

    private DicomNumItem(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomCodedEntry? qualifier)
        : base(relationship, conceptName)
    {
        Qualifier = qualifier;
    }

    /// <summary>A NUM with an empty Measured Value Sequence and the reason in Numeric Value Qualifier Code Sequence.</summary>
    public static DicomNumItem NotMeasured(DicomRelationshipType? relationship, DicomCodedEntry conceptName, DicomCodedEntry qualifier) =>
        new(relationship, conceptName, qualifier);

    internal static DicomNumItem Read(DicomRelationshipType? relationship, DicomCodedEntry conceptName, double? value, string? text, DicomCodedEntry? units, DicomCodedEntry? qualifier)
    {
        if (value is { } v && text is not null && units is { } u) return new DicomNumItem(relationship, conceptName, v, u, text) { Qualifier = qualifier };
        return new DicomNumItem(relationship, conceptName, qualifier);
    }

    /// <summary>The measured value; null when not measured.</summary>
    public double? Value { get; }

    /// <summary>The Numeric Value (0040,A30A) DS text; null when not measured.</summary>
    public string? NumericText { get; }

    /// <summary>Measurement Units Code Sequence (0040,08EA); null when not measured.</summary>
    public DicomCodedEntry? Units { get; }

    /// <summary>Numeric Value Qualifier (0040,A301), required when there is no value.</summary>
    public DicomCodedEntry? Qualifier { get; private init; }

    /// <inheritdoc />
    public override DicomValueType ValueType => DicomValueType.Num;

    /// <inheritdoc />
    protected override string DescribeValue() =>
        NumericText is null ? $"empty {Qualifier?.ToString() ?? ""}" : $"\"{NumericText}\" {Units}";
}
