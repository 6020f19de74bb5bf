namespace EdgeCancer.Dicom;

/// <summary>
/// A Person Name value (PS3.5 §6.2.1.2): up to three component groups (alphabetic, ideographic, phonetic) separated
/// by '=', each with up to five components (family, given, middle, prefix, suffix) separated by '^'.
/// </summary>
public sealed record DicomPersonName
{
    /// <summary>Parses a PN value as decoded text.</summary>
    public DicomPersonName(string value)
    {
        Value = value;
        var groups = value.Split('=');
        Alphabetic = groups.Length > 0 ? groups[0] : string.Empty;
        Ideographic = groups.Length > 1 ? groups[1] : string.Empty;
        Phonetic = groups.Length > 2 ? groups[2] : string.Empty;
        var c = Alphabetic.Split('^');
        Family = Part(c, 0); Given = Part(c, 1); Middle = Part(c, 2); Prefix = Part(c, 3); Suffix = Part(c, 4);
    }

    /// <summary>Builds a PN from alphabetic components, dropping trailing empty ones.</summary>
    public DicomPersonName(string family, string given = "", string middle = "", string prefix = "", string suffix = "")
        : this(Join(family, given, middle, prefix, suffix)) { }

    private static string Part(string[] parts, int i) => i < parts.Length ? parts[i] : string.Empty;

    private static string Join(params string[] components)
    {
        int last = components.Length - 1;
        while (last > 0 && components[last].Length == 0) last--;
        return string.Join('^', components, 0, last + 1);
    }

    /// <summary>The whole value as text.</summary>
    public string Value { get; }
    /// <summary>The alphabetic component group.</summary>
    public string Alphabetic { get; }
    /// <summary>The ideographic component group.</summary>
    public string Ideographic { get; }
    /// <summary>The phonetic component group.</summary>
    public string Phonetic { get; }
    /// <summary>Family name complex.</summary>
    public string Family { get; }
    /// <summary>Given name complex.</summary>
    public string Given { get; }
    /// <summary>Middle name.</summary>
    public string Middle { get; }
    /// <summary>Name prefix.</summary>
    public string Prefix { get; }
    /// <summary>Name suffix.</summary>
    public string Suffix { get; }

    public override string ToString() => Value;
}
