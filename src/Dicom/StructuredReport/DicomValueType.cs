namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>The Value Type (0040,A040) of a content item (PS3.3 C.17.3.2.1).</summary>
public enum DicomValueType
{
    Container,
    Text,
    Code,
    Num,
    UidRef,
    PName,
    DateTime,
    Date,
    Time,
    Image,
    Composite,
    Waveform,
    Scoord,
    Scoord3D,
    Tcoord,
    Table,
}

/// <summary>Conversions between <see cref="DicomValueType"/> and its CS enumerated values.</summary>
public static class DicomValueTypes
{
    /// <summary>The enumerated value as written in (0040,A040), e.g. "UIDREF".</summary>
    public static string ToTerm(this DicomValueType type) => type switch
    {
        DicomValueType.Container => "CONTAINER",
        DicomValueType.Text => "TEXT",
        DicomValueType.Code => "CODE",
        DicomValueType.Num => "NUM",
        DicomValueType.UidRef => "UIDREF",
        DicomValueType.PName => "PNAME",
        DicomValueType.DateTime => "DATETIME",
        DicomValueType.Date => "DATE",
        DicomValueType.Time => "TIME",
        DicomValueType.Image => "IMAGE",
        DicomValueType.Composite => "COMPOSITE",
        DicomValueType.Waveform => "WAVEFORM",
        DicomValueType.Scoord => "SCOORD",
        DicomValueType.Scoord3D => "SCOORD3D",
        DicomValueType.Tcoord => "TCOORD",
        DicomValueType.Table => "TABLE",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses an enumerated value; false when unknown.</summary>
    public static bool TryParse(string term, out DicomValueType type)
    {
        foreach (var t in Enum.GetValues<DicomValueType>())
        {
            if (t.ToTerm() == term) { type = t; return true; }
        }
        type = default;
        return false;
    }
}
