using System.Globalization;

namespace EdgeCancer.Dicom;

/// <summary>A DICOM attribute tag (group, element), PS3.5 §7.1. Immutable; a 32-bit value.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its group and element numbers.</summary>
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for odd groups other than 0001, 0003, 0005, 0007 and FFFF (PS3.5 §7.8.1).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>True for a private creator element (gggg,0010-00FF) in a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>For a private data element (gggg,xxyy), the private creator tag (gggg,00xx) that reserves its block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>Item (FFFE,E000).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    /// <summary>True for the item, item-delimiter and sequence-delimiter tags of group FFFE.</summary>
    public bool IsDelimiterOrItem => Group == 0xFFFE;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>Formats as <c>(gggg,eeee)</c> in upper-case hexadecimal.</summary>
    public override string ToString() => $"({Group:X4},{Element:X4})";

    /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c>.</summary>
    public static DicomTag Parse(string text)
    {
        if (TryParse(text, out var tag)) return tag;
        throw new FormatException($"'{text}' is not a DICOM tag; expected (gggg,eeee) or ggggeeee in hexadecimal.");
    }

    /// <summary>Tries to parse <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTag tag)
    {
        tag = default;
        text = text.Trim();
        if (text.Length > 2 && text[0] == '(' && text[^1] == ')') text = text[1..^1];
        ReadOnlySpan<char> g, e;
        int comma = text.IndexOf(',');
        if (comma >= 0) { g = text[..comma].Trim(); e = text[(comma + 1)..].Trim(); }
        else if (text.Length == 8) { g = text[..4]; e = text[4..]; }
        else return false;
        if (g.Length != 4 || e.Length != 4) return false;
        if (!ushort.TryParse(g, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var gv)) return false;
        if (!ushort.TryParse(e, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var ev)) return false;
        tag = new DicomTag(gv, ev);
        return true;
    }
}
