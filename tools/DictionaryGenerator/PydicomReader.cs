using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>
/// Reads pydicom's generated tables (_dicom_dict.py, _uid_dict.py, _version.py) as text; Python is not run.
/// Each row is one line: <c>KEY: ('a', 'b', "c", 'd', 'e'),  # noqa</c>.
/// </summary>
internal static partial class PydicomReader
{
    [GeneratedRegex(@"^\s+(?<key>0x[0-9A-Fa-f]{8}|'[^']*'):\s*\((?<rest>.*)$")]
    private static partial Regex RowPattern();

    [GeneratedRegex(@"^__(?<name>version|dicom_version)__\s*(?::\s*str\s*)?=\s*'(?<value>[^']*)'", RegexOptions.Multiline)]
    private static partial Regex VersionPattern();

    /// <summary>Reads DicomDictionary (exact tags) and RepeatersDictionary ("60xx3000" patterns).</summary>
    public static List<ElementRow> ReadElements(string path)
    {
        var rows = new List<ElementRow>();
        int candidateLines = 0;
        foreach (var line in File.ReadLines(path))
        {
            var m = RowPattern().Match(line);
            if (!m.Success) continue;
            candidateLines++;
            string key = m.Groups["key"].Value;
            var f = ReadTuple(m.Groups["rest"].Value, path, line);
            if (f.Count != 5) throw new FormatException($"{path}: expected (VR, VM, Name, Retired, Keyword) in: {line}");
            uint tag, mask;
            if (key.StartsWith("0x", StringComparison.Ordinal))
            {
                tag = uint.Parse(key.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                mask = 0xFFFFFFFF;
            }
            else (tag, mask) = TagPattern.FromXNotation(key.Trim('\''));
            string[] vrs = f[0] == "NONE" ? [] : f[0].Split(" or ", StringSplitOptions.TrimEntries);
            rows.Add(new ElementRow(tag, mask, vrs, f[1], f[4], f[2], f[3] == "Retired", "pydicom"));
        }
        if (rows.Count != candidateLines || rows.Count < 4000)
            throw new FormatException($"{path}: read {rows.Count} rows from {candidateLines} candidate lines; has the format changed?");
        return rows;
    }

    /// <summary>Reads UID_dictionary: value → (Name, Type, Info, Retired, Keyword).</summary>
    public static List<UidRow> ReadUids(string path)
    {
        var rows = new List<UidRow>();
        foreach (var line in File.ReadLines(path))
        {
            var m = RowPattern().Match(line);
            if (!m.Success) continue;
            var f = ReadTuple(m.Groups["rest"].Value, path, line);
            if (f.Count != 5) throw new FormatException($"{path}: expected (Name, Type, Info, Retired, Keyword) in: {line}");
            rows.Add(new UidRow(m.Groups["key"].Value.Trim('\''), f[0], f[1], f[2], f[3] == "Retired", f[4]));
        }
        if (rows.Count < 300) throw new FormatException($"{path}: only {rows.Count} UIDs read; has the format changed?");
        return rows;
    }

    /// <summary>pydicom's package version and the DICOM edition its tables were generated from, from _version.py.</summary>
    public static (string Version, string DicomEdition) ReadVersion(string path)
    {
        string text = File.ReadAllText(path);
        string version = "unknown", edition = "unknown";
        foreach (Match m in VersionPattern().Matches(text))
        {
            if (m.Groups["name"].Value == "version") version = m.Groups["value"].Value;
            else edition = m.Groups["value"].Value;
        }
        return (version, edition);
    }

    /// <summary>Reads the comma-separated Python string literals of a tuple up to its closing parenthesis.</summary>
    private static List<string> ReadTuple(string text, string path, string line)
    {
        var fields = new List<string>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && text[i] == ' ') i++;
            if (i >= text.Length) throw new FormatException($"{path}: unterminated tuple in: {line}");
            if (text[i] == ')') return fields;
            char quote = text[i];
            if (quote is not ('\'' or '"')) throw new FormatException($"{path}: expected a string literal at column {i} in: {line}");
            var sb = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != quote)
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                sb.Append(text[i++]);
            }
            if (i >= text.Length) throw new FormatException($"{path}: unterminated string in: {line}");
            i++;
            fields.Add(sb.ToString());
            while (i < text.Length && text[i] == ' ') i++;
            if (i < text.Length && text[i] == ',') i++;
        }
    }
}
