using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A coded concept: the triple of the Basic Code Sequence Macro (PS3.3 Table 8.8-1a) — code value, coding scheme
/// designator and code meaning. Two entries denote the same concept when value and scheme are equal; the meaning is
/// only for display (PS3.16 §8.4), so <see cref="Matches"/> ignores it.
/// </summary>
/// <param name="Value">The code value. Up to 16 characters go in Code Value (0008,0100); longer values go in Long Code
/// Value (0008,0119); a URN ("urn:…") goes in URN Code Value (0008,0120) (PS3.3 §8.1).</param>
/// <param name="Scheme">The Coding Scheme Designator (0008,0102), e.g. DCM, SCT, LN, UCUM, or a local 99xxx scheme.</param>
/// <param name="Meaning">The Code Meaning (0008,0104), at most 64 characters.</param>
/// <param name="SchemeVersion">The Coding Scheme Version (0008,0103), when the designator alone is ambiguous.</param>
public readonly record struct DicomCodedEntry(string Value, string Scheme, string Meaning, string? SchemeVersion = null)
{
    /// <summary>Maximum length of Code Value (SH); longer values use Long Code Value (PS3.3 §8.1.1).</summary>
    public const int MaxShortCodeValueLength = 16;

    /// <summary>True when <paramref name="other"/> is the same concept (same value and scheme, case-sensitive).</summary>
    public bool Matches(DicomCodedEntry other) =>
        string.Equals(Value, other.Value, StringComparison.Ordinal) && string.Equals(Scheme, other.Scheme, StringComparison.Ordinal);

    /// <summary>The entry as dsrdump prints it: <c>(value,scheme,"meaning")</c>.</summary>
    public override string ToString() => $"({Value},{Scheme},\"{Meaning}\")";

    /// <summary>Writes this entry as a sequence item (the Code Sequence Macro) in <paramref name="charset"/>.</summary>
    public DicomDataset ToDataset(DicomCharacterSet charset)
    {
        if (string.IsNullOrEmpty(Value)) throw new DicomDataException($"Coded entry {this} has no code value.");
        if (string.IsNullOrEmpty(Scheme)) throw new DicomDataException($"Coded entry {this} has no coding scheme designator.");
        var item = new DicomDataset();
        if (Value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            SrText.Set(item, DicomTags.URNCodeValue, DicomVR.UR, Value, charset);
        else if (Value.Length > MaxShortCodeValueLength)
            SrText.Set(item, DicomTags.LongCodeValue, DicomVR.UC, Value, charset);
        else
            SrText.Set(item, DicomTags.CodeValue, DicomVR.SH, Value, charset);
        SrText.Set(item, DicomTags.CodingSchemeDesignator, DicomVR.SH, Scheme, charset);
        if (SchemeVersion is not null) SrText.Set(item, DicomTags.CodingSchemeVersion, DicomVR.SH, SchemeVersion, charset);
        SrText.Set(item, DicomTags.CodeMeaning, DicomVR.LO, Meaning, charset);
        return item;
    }

    /// <summary>A sequence holding this entry as its single item.</summary>
    public DicomSequence ToSequence(DicomTag tag, DicomCharacterSet charset) => new(tag, ToDataset(charset));

    /// <summary>Reads an entry from a Code Sequence Macro item; the value may be in Code Value, Long Code Value or URN Code Value.</summary>
    public static DicomCodedEntry FromDataset(DicomDataset item)
    {
        var value = SrText.Get(item, DicomTags.CodeValue) ?? SrText.Get(item, DicomTags.LongCodeValue) ?? SrText.Get(item, DicomTags.URNCodeValue)
            ?? throw new DicomDataException("Code item has none of Code Value, Long Code Value and URN Code Value.");
        var scheme = SrText.Get(item, DicomTags.CodingSchemeDesignator) ?? "";
        var meaning = SrText.Get(item, DicomTags.CodeMeaning) ?? "";
        return new DicomCodedEntry(value, scheme, meaning, SrText.Get(item, DicomTags.CodingSchemeVersion));
    }

    /// <summary>The first item of code sequence <paramref name="tag"/> in <paramref name="ds"/>, or null when absent or empty.</summary>
    public static DicomCodedEntry? FromSequence(DicomDataset ds, DicomTag tag) =>
        ds.TryGetSequence(tag, out var sq) && sq.Items.Count > 0 ? FromDataset(sq.Items[0]) : null;
}
