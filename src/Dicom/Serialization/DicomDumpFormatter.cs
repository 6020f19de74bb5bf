using System.Globalization;
using System.Text;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Serialization;

/// <summary>Options for <see cref="DicomDumpFormatter"/>.</summary>
public sealed record DicomDumpOptions
{
    /// <summary>Print UIDs as numbers instead of registered names (dcmdump +Un).</summary>
    public bool UidNumbers { get; init; }
    /// <summary>Print long values whole (dcmdump +L); otherwise values longer than <see cref="MaxValueChars"/> are cut with "...".</summary>
    public bool PrintAll { get; init; }
    /// <summary>Longest value text printed when <see cref="PrintAll"/> is off.</summary>
    public int MaxValueChars { get; init; } = 64;
}

/// <summary>
/// Prints a dataset in the layout of DCMTK's dcmdump: tag, VR, value, then "# length, VM keyword"; nested
/// sequences and items indented by two spaces per level.
/// </summary>
public static class DicomDumpFormatter
{
    /// <summary>Formats a whole file: meta header and dataset, with the transfer syntax of each.</summary>
    public static string Format(DicomFile file, DicomDumpOptions? options = null)
    {
        options ??= new DicomDumpOptions();
        var sb = new StringBuilder();
        sb.Append("\n# Dicom-File-Format\n\n# Dicom-Meta-Information-Header\n# Used TransferSyntax: Little Endian Explicit\n");
        AppendDataset(sb, file.FileMetaInfo, 0, options);
        sb.Append("\n# Dicom-Data-Set\n# Used TransferSyntax: ").Append(file.TransferSyntax.Name).Append('\n');
        AppendDataset(sb, file.Dataset, 0, options);
        return sb.ToString();
    }

    /// <summary>Formats one dataset.</summary>
    public static string Format(DicomDataset dataset, DicomDumpOptions? options = null)
    {
        var sb = new StringBuilder();
        AppendDataset(sb, dataset, 0, options ?? new DicomDumpOptions());
        return sb.ToString();
    }

    // Recursion depth is bounded by the reader's MaxDepth for datasets read from files.
    private static void AppendDataset(StringBuilder sb, DicomDataset ds, int depth, DicomDumpOptions options)
    {
        foreach (var item in ds)
        {
            string keyword = Keyword(item.Tag);
            switch (item)
            {
                case DicomSequence sq:
                    Line(sb, depth, $"{TagText(item.Tag)} SQ (Sequence with {(sq.HadUndefinedLength ? "undefined" : "explicit")} length #={sq.Items.Count})", sq.HadUndefinedLength ? -1 : 0, 1, keyword);
                    foreach (var child in sq.Items)
                    {
                        Line(sb, depth + 1, $"(fffe,e000) na (Item with explicit length #={child.Count})", 0, 1, "Item");
                        AppendDataset(sb, child, depth + 2, options);
                        Line(sb, depth + 1, "(fffe,e00d) na (ItemDelimitationItem for re-encoding)", 0, 0, "ItemDelimitationItem");
                    }
                    Line(sb, depth, "(fffe,e0dd) na (SequenceDelimitationItem for re-encod.)", 0, 0, "SequenceDelimitationItem");
                    break;
                case DicomFragmentSequence f:
                    Line(sb, depth, $"{TagText(item.Tag)} {f.VR} (PixelSequence #={f.Fragments.Count + 1})", -1, 1, keyword);
                    Line(sb, depth + 1, $"(fffe,e000) pi {Hex(f.OffsetTable.Memory.Span, 1, options)}", (int)f.OffsetTable.Size, 1, "Item");
                    foreach (var frag in f.Fragments)
                        Line(sb, depth + 1, $"(fffe,e000) pi {(frag.Size > 4096 && !options.PrintAll ? "(not loaded)" : Hex(frag.Memory.Span, 1, options))}", (int)frag.Size, 1, "Item");
                    Line(sb, depth, "(fffe,e0dd) na (SequenceDelimitationItem)", 0, 0, "SequenceDelimitationItem");
                    break;
                case DicomElement e:
                    var (text, vm) = ValueText(e, ds, options);
                    Line(sb, depth, $"{TagText(item.Tag)} {e.VR} {text}", (int)Math.Min(e.Length + (e.Length & 1), int.MaxValue), vm, keyword);
                    break;
            }
        }
    }

    private static string TagText(DicomTag t) => $"({t.Group:x4},{t.Element:x4})";

    private static string Keyword(DicomTag tag)
    {
        if (tag.Element == 0 ) return tag.Group == 0x0002 ? "FileMetaInformationGroupLength" : "GenericGroupLength";
        if (tag.IsPrivateCreator) return "PrivateCreator";
        var e = DicomDictionary.Find(tag);
        return e?.Keyword is { Length: > 0 } k ? k : tag.IsPrivate ? "PrivateTagData" : "Unknown Tag & Data";
    }

    private static void Line(StringBuilder sb, int depth, string body, int length, int vm, string keyword)
    {
        int start = sb.Length;
        sb.Append(' ', depth * 2).Append(body);
        int width = sb.Length - start;
        if (width < 56) sb.Append(' ', 56 - width); else sb.Append(' ');
        sb.Append("# ").Append(length < 0 ? "u/l" : length.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(", ").Append(vm).Append(' ').Append(keyword).Append('\n');
    }

    /// <summary>The value text of an element as dcmdump prints it, and its VM.</summary>
    public static (string Text, int VM) ValueText(DicomElement e, DicomDataset context, DicomDumpOptions options)
    {
        if (e.Length == 0) return ("(no value available)", 0);
        var vr = e.VR;
        string text;
        int vm;
        if (vr.IsString)
        {
            if (!e.Buffer.IsMemory && e.Length > 4096 && !options.PrintAll) return ("(not loaded)", 1);
            // dcmdump drops trailing spaces (and a UI's trailing NUL) but shows any other NUL padding as is.
            var decoded = DicomValueCodec.DecodeForDisplay(e.Buffer.Memory.Span, vr, context.CharacterSet);
            var raw = vr == DicomVR.UI ? decoded.TrimEnd(' ', '\0') : decoded.TrimEnd(' ');
            vm = vr.Kind == DicomVRKind.Text ? 1 : raw.Split('\\').Length;
            if (vr == DicomVR.UI && !options.UidNumbers && vm == 1 && DicomUidRegistry.Find(raw) is { Keyword.Length: > 0 } uid)
                return ("=" + uid.Keyword, 1);
            text = "[" + raw + "]";
        }
        else if (vr == DicomVR.AT)
        {
            var tags = DicomValueCodec.Decode<DicomTag>(e, context.CharacterSet);
            vm = tags.Length;
            text = string.Join('\\', tags.Select(TagText));
        }
        else if (vr == DicomVR.OB || vr == DicomVR.UN)
        {
            if (e.Length > 4096 && !options.PrintAll) return ("(not loaded)", 1);
            text = Hex(e.Buffer.Memory.Span, 1, options);
            vm = 1;
        }
        else if (vr == DicomVR.OW)
        {
            if (e.Length > 4096 && !options.PrintAll) return ("(not loaded)", 1);
            text = Hex(e.Buffer.Memory.Span, 2, options);
            vm = 1;
        }
        else
        {
            if (e.Length > 4096 && !options.PrintAll) return ("(not loaded)", 1);
            string[] values = vr == DicomVR.FL || vr == DicomVR.OF
                ? DicomValueCodec.Decode<float>(e, context.CharacterSet).Select(f => f.ToString("G9", CultureInfo.InvariantCulture)).ToArray()
                : vr == DicomVR.FD || vr == DicomVR.OD
                    ? DicomValueCodec.Decode<double>(e, context.CharacterSet).Select(f => f.ToString("G17", CultureInfo.InvariantCulture)).ToArray()
                    : DicomValueCodec.Decode<string>(e, context.CharacterSet);
            vm = vr.Kind == DicomVRKind.Bulk ? 1 : values.Length;
            text = string.Join('\\', values);
        }
        if (!options.PrintAll && text.Length > options.MaxValueChars) text = text[..(options.MaxValueChars - 3)] + "...";
        return (text, vm);
    }

    private static string Hex(ReadOnlySpan<byte> bytes, int unit, DicomDumpOptions options)
    {
        if (bytes.IsEmpty) return "(no value available)";
        var sb = new StringBuilder(bytes.Length * 3);
        int limit = options.PrintAll ? bytes.Length : Math.Min(bytes.Length, 64);
        for (int i = 0; i + unit <= limit; i += unit)
        {
            if (i > 0) sb.Append('\\');
            if (unit == 2) sb.Append(((ushort)(bytes[i] | (bytes[i + 1] << 8))).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}
