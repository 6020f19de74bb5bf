using System.Globalization;

namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>Writes DicomTags.g.cs, DicomDictionary.Elements.g.cs and DicomDictionary.Private.g.cs.</summary>
internal static class ElementEmitter
{
    /// <summary>
    /// The tag a DicomTags constant names. For a repeating entry the x digits are the smallest element value that is not a
    /// group length (gggg,0000) and not an exact entry of its own: (60xx,3000) → (6000,3000), (1000,xxx0) → (1000,0010),
    /// (0028,04x0) → (0028,0410) because (0028,0400) is Transform Label. Find of the constant then returns this entry.
    /// </summary>
    public static uint ConstantTag(ElementRow row, IReadOnlySet<uint> exactTags)
    {
        if (row.Mask == 0xFFFFFFFF) return row.Tag;
        var freeBits = Enumerable.Range(0, 16).Where(b => ((row.Mask >> b) & 1) == 0).ToArray();
        for (uint k = 0; k < (1u << freeBits.Length); k++)
        {
            uint tag = row.Tag;
            for (int i = 0; i < freeBits.Length; i++)
                if (((k >> i) & 1) != 0) tag |= 1u << freeBits[i];
            if ((tag & 0xFFFF) != 0 && !exactTags.Contains(tag)) return tag;
        }
        throw new InvalidOperationException($"No free tag for the constant of {Naming.TagText(row.Tag, row.Mask)} {row.Keyword}.");
    }

    public static void WriteTags(List<ElementRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var f = new GeneratedFile("PS3.6 §6 data element tags by keyword.", sources);
        f.Line("/// <summary>Every keyword of the PS3.6 data dictionary as a tag. Repeating-group entries name their first group, e.g. OverlayData = (6000,3000).</summary>");
        f.Line("public static partial class DicomTags");
        f.Line("{");
        var exactTags = rows.Where(r => r.Mask == 0xFFFFFFFF).Select(r => r.Tag).ToHashSet();
        foreach (var r in rows.Where(r => r.Keyword.Length > 0))
        {
            string vr = r.Vrs.Length == 0 ? "no VR" : string.Join(" or ", r.Vrs);
            string retired = r.Retired ? ", retired" : "";
            f.Line($"    /// <summary>{Naming.TagText(r.Tag, r.Mask)} {Naming.Xml(r.Name)}, {vr}, VM {r.Vm}{retired}</summary>");
            f.Line($"    public static readonly DicomTag {r.Keyword} = new(0x{ConstantTag(r, exactTags):X8}u);");
        }
        f.Line("}");
        f.WriteTo(path);
    }

    public static void WriteElementTable(List<ElementRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var f = new GeneratedFile("PS3.6 §6–8 data element registry as a packed table, parsed on first use by DicomDictionary.", sources);
        f.Line("public static partial class DicomDictionary");
        f.Line("{");
        f.Line("    // One entry a line: tag[/mask]|VR[/VR…]|VM|keyword|name|R when retired. Tags and masks are hexadecimal;");
        f.Line("    // a mask's zero digits are PS3.6's x digits.");
        f.Line("    private const string ElementTable = \"\"\"");
        foreach (var r in rows)
        {
            string tag = r.Mask == 0xFFFFFFFF ? r.Tag.ToString("X8", CultureInfo.InvariantCulture) : $"{r.Tag:X8}/{r.Mask:X8}";
            f.Line("        " + Join(tag, string.Join('/', r.Vrs), r.Vm, r.Keyword, r.Name, r.Retired ? "R" : ""));
        }
        f.Line("        \"\"\";");
        f.Line("}");
        f.WriteTo(path);
    }

    public static void WritePrivateTable(List<PrivateRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var f = new GeneratedFile("Private data elements known to DCMTK, parsed on first use by DicomDictionary.FindPrivate.", sources);
        f.Line("public static partial class DicomDictionary");
        f.Line("{");
        f.Line("    // One entry a line: creator|group[/mask]|element|VR[/VR…]|VM|name. The element has two hex digits (the low byte,");
        f.Line("    // any block) or four (a fixed element number). Later lines override earlier ones for the same key.");
        f.Line("    private const string PrivateTable = \"\"\"");
        foreach (var r in rows)
        {
            string group = r.GroupMask == 0xFFFF ? $"{r.Group:X4}" : $"{r.Group:X4}/{r.GroupMask:X4}";
            string element = r.FixedElement ? $"{r.Element:X4}" : $"{r.Element:X2}";
            f.Line("        " + Join(r.Creator, group, element, string.Join('/', r.Vrs), r.Vm, r.Keyword));
        }
        f.Line("        \"\"\";");
        f.Line("}");
        f.WriteTo(path);
    }

    private static string Join(params string[] fields)
    {
        foreach (var field in fields)
            if (field.Contains('|') || field.Contains('\n') || field.Contains("\"\"\"", StringComparison.Ordinal))
                throw new FormatException($"Field '{field}' cannot be stored in the packed table.");
        return string.Join('|', fields);
    }
}
