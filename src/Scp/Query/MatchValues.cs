using System.Text;

namespace EdgeCancer.Scp.Query;

/// <summary>Parsing of key values: wildcards, ranges, dates and times (PS3.4 C.2.2.2, PS3.5 §6.2 for DA/TM).</summary>
public static class MatchValues
{
    /// <summary>C.2.2.2.4: '*' and '?' are the wildcard characters.</summary>
    public static bool HasWildcard(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>C.2.2.2.4: a value of only '*' is universal matching.</summary>
    public static bool IsUniversal(string? value) =>
        string.IsNullOrWhiteSpace(value) || value.Trim() == "*";

    /// <summary>Translates a DICOM wildcard to a SQL LIKE pattern with '\' as escape ('%', '_' and '\' escaped).</summary>
    public static string ToLikePattern(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            switch (c)
            {
                case '*': sb.Append('%'); break;
                case '?': sb.Append('_'); break;
                case '%' or '_' or '\\': sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Translates a DICOM wildcard to a case-sensitive SQLite GLOB pattern ('[' escaped as "[[]").</summary>
    public static string ToGlobPattern(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (c == '[') sb.Append("[[]");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>A DA value as YYYYMMDD (also accepts the ACR-NEMA form YYYY.MM.DD), or null when malformed.</summary>
    public static string? NormalizeDate(string value)
    {
        var v = value.Trim();
        if (v.Length == 10 && v[4] == '.' && v[7] == '.') v = string.Concat(v.AsSpan(0, 4), v.AsSpan(5, 2), v.AsSpan(8, 2));
        if (v.Length != 8) return null;
        foreach (char c in v) if (c is < '0' or > '9') return null;
        return v;
    }

    /// <summary>
    /// A TM value as 12 digits HHMMSSFFFFFF so that times compare by meaning ("2230" = "223000", PS3.4 C.2.2.2.1).
    /// Missing parts are filled with <paramref name="fill"/>: '0' for stored values and lower bounds, '9' for upper
    /// bounds (an upper bound "1800" covers the whole minute 18:00). Accepts the ACR-NEMA form HH:MM:SS.
    /// </summary>
    public static string? NormalizeTime(string? value, char fill = '0')
    {
        if (value is null) return null;
        var v = value.Trim().Replace(":", "", StringComparison.Ordinal);
        if (v.Length == 0) return null;
        var digits = new StringBuilder(12);
        int dot = v.IndexOf('.');
        var main = dot >= 0 ? v[..dot] : v;
        var fraction = dot >= 0 ? v[(dot + 1)..] : "";
        if (main.Length is not (2 or 4 or 6) || fraction.Length > 6 || (fraction.Length > 0 && main.Length != 6)) return null;
        foreach (char c in main) if (c is < '0' or > '9') return null;
        foreach (char c in fraction) if (c is < '0' or > '9') return null;
        digits.Append(main);
        if (fill == '9')
        {
            // Fill minutes/seconds with their maxima rather than 99.
            if (main.Length == 2) digits.Append("5959");
            else if (main.Length == 4) digits.Append("59");
        }
        else digits.Append('0', 6 - main.Length);
        digits.Append(fraction);
        digits.Append(fill, 12 - digits.Length);
        return digits.ToString();
    }

    /// <summary>Splits a range "a-b", "a-" or "-b" (C.2.2.2.5). Null parts are open ends. False when there is no '-'.</summary>
    public static bool TrySplitRange(string value, out string? lower, out string? upper)
    {
        lower = upper = null;
        int dash = value.IndexOf('-');
        if (dash < 0) return false;
        var a = value[..dash].Trim();
        var b = value[(dash + 1)..].Trim();
        lower = a.Length == 0 ? null : a;
        upper = b.Length == 0 ? null : b;
        return true;
    }
}
