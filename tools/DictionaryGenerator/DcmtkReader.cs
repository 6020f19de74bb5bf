using System.Text.RegularExpressions;

namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>
/// Reads DCMTK's dictionaries (dicom.dic, private.dic): tab-separated Tag, VR, Name (a keyword, retired ones prefixed
/// "RETIRED_"), VM, Version. DCMTK's own pseudo-VRs are mapped to PS3.6 VR lists.
/// </summary>
internal static partial class DcmtkReader
{
    [GeneratedRegex(@"^\((?<group>[0-9A-Fa-f]{4}(?:-[ou]?-?[0-9A-Fa-f]{4})?),""(?<creator>[^""]*)"",(?<element>[0-9A-Fa-f]{2}|[0-9A-Fa-f]{4})\)$")]
    private static partial Regex PrivateTagPattern();

    [GeneratedRegex(@"^#\s*Generated automatically from (?<edition>.+?)\.?\s*$", RegexOptions.Multiline)]
    private static partial Regex EditionPattern();

    [GeneratedRegex(@"^#\s*(?<c>Copyright \(C\) [0-9-]+, OFFIS e\.V\.)", RegexOptions.Multiline)]
    private static partial Regex CopyrightPattern();

    /// <summary>
    /// DCMTK pseudo-VRs (dcmdata's DcmEVR): xs = US or SS; ox and px = OB or OW; lt = US, SS or OW (LUT data);
    /// up = UL (a file offset, "unsigned pointer"); na = none (items and delimiters).
    /// </summary>
    public static string[] MapVr(string vr) => vr switch
    {
        "xs" => ["US", "SS"],
        "ox" or "px" => ["OB", "OW"],
        "lt" => ["US", "SS", "OW"],
        "up" => ["UL"],
        "na" => [],
        _ when vr.Length == 2 && char.IsUpper(vr[0]) && char.IsUpper(vr[1]) => [vr],
        _ => throw new FormatException($"Unknown DCMTK VR '{vr}'."),
    };

    /// <summary>Reads the standard dictionary, leaving out DCMTK's synthetic GENERIC/PRIVATE/ILLEGAL rows.</summary>
    public static List<ElementRow> ReadStandard(string path)
    {
        var rows = new List<ElementRow>();
        foreach (var (fields, line) in DataLines(path))
        {
            if (fields.Length != 5) throw new FormatException($"{path}: expected 5 tab-separated fields in: {line}");
            string version = fields[4];
            if (version is "GENERIC" or "PRIVATE" or "ILLEGAL") continue;
            string tagText = fields[0].Trim('(', ')');
            int comma = tagText.IndexOf(',');
            var (g, gm) = TagPattern.FromDcmtkRange(tagText[..comma], isGroup: true);
            var (e, em) = TagPattern.FromDcmtkRange(tagText[(comma + 1)..], isGroup: false);
            string keyword = fields[2];
            bool retired = version.EndsWith("/retired", StringComparison.Ordinal);
            if (keyword.StartsWith("RETIRED_", StringComparison.Ordinal)) keyword = keyword["RETIRED_".Length..];
            rows.Add(new ElementRow(((uint)g << 16) | e, ((uint)gm << 16) | em, MapVr(fields[1]), fields[3], keyword,
                Naming.NameFromKeyword(keyword), retired, "dcmtk"));
        }
        return rows;
    }

    /// <summary>Reads private.dic: (gggg,"CREATOR",ee) or (gggg,"CREATOR",eeee) with optional group ranges.</summary>
    public static List<PrivateRow> ReadPrivate(string path)
    {
        var rows = new List<PrivateRow>();
        foreach (var (fields, line) in DataLines(path))
        {
            // One row in DCMTK 3.6.7 lacks the trailing Version field; the first four are all we use.
            if (fields.Length < 4) throw new FormatException($"{path}: expected at least 4 tab-separated fields in: {line}");
            var m = PrivateTagPattern().Match(fields[0]);
            if (!m.Success) throw new FormatException($"{path}: cannot read private tag '{fields[0]}'.");
            var (g, gm) = TagPattern.FromDcmtkRange(m.Groups["group"].Value, isGroup: true);
            string el = m.Groups["element"].Value;
            ushort element = Convert.ToUInt16(el, 16);
            rows.Add(new PrivateRow(m.Groups["creator"].Value, g, gm, element, el.Length == 4, MapVr(fields[1]), fields[3], fields[2]));
        }
        return rows;
    }

    /// <summary>"DICOM PS 3.6-2022b and PS 3.7-2022b" from dicom.dic's header, or the copyright line when absent.</summary>
    public static string ReadEdition(string path)
    {
        string head = string.Join('\n', File.ReadLines(path).TakeWhile(l => l.StartsWith('#')));
        var m = EditionPattern().Match(head);
        var c = CopyrightPattern().Match(head);
        string copyright = c.Success ? c.Groups["c"].Value : "no copyright line";
        return m.Success ? $"{m.Groups["edition"].Value} ({copyright})" : copyright;
    }

    private static IEnumerable<(string[] Fields, string Line)> DataLines(string path)
    {
        foreach (var raw in File.ReadLines(path))
        {
            string line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            yield return (line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), line);
        }
    }
}
