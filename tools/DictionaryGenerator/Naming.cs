using System.Text;

namespace EdgeCancer.Tools.DictionaryGenerator;

internal static class Naming
{
    /// <summary>
    /// A readable name for a row that has only a keyword: "PyramidUID" → "Pyramid UID". Used only for the few DCMTK rows
    /// newer than pydicom's table; PS3.6 names are otherwise taken verbatim from pydicom.
    /// </summary>
    public static string NameFromKeyword(string keyword)
    {
        var sb = new StringBuilder(keyword.Length + 8);
        for (int i = 0; i < keyword.Length; i++)
        {
            char c = keyword[i];
            bool boundary = i > 0 && char.IsUpper(c) &&
                (char.IsLower(keyword[i - 1]) || (i + 1 < keyword.Length && char.IsLower(keyword[i + 1]) && char.IsUpper(keyword[i - 1])));
            if (boundary) sb.Append(' ');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>Formats a tag pattern as PS3.6 writes it, with x for masked digits: (60xx,3000).</summary>
    public static string TagText(uint tag, uint mask)
    {
        Span<char> s = stackalloc char[8];
        for (int i = 0; i < 8; i++)
        {
            int shift = (7 - i) * 4;
            s[i] = ((mask >> shift) & 0xF) == 0 ? 'x' : "0123456789ABCDEF"[(int)((tag >> shift) & 0xF)];
        }
        return $"({s[..4]},{s[4..]})";
    }
}
