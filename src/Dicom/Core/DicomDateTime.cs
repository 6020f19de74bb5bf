using System.Globalization;

namespace EdgeCancer.Dicom;

/// <summary>Parsing and formatting of DA, TM and DT values (PS3.5 Table 6.2-1), including the ACR-NEMA forms DCMTK accepts.</summary>
public static class DicomDateTime
{
    /// <summary>Parses YYYYMMDD (and the old YYYY.MM.DD form).</summary>
    public static DateOnly ParseDate(string s)
    {
        s = s.Trim();
        if (s.Length == 10 && s[4] == '.' && s[7] == '.') s = string.Concat(s.AsSpan(0, 4), s.AsSpan(5, 2), s.AsSpan(8, 2));
        return DateOnly.ParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses HH, HHMM, HHMMSS or HHMMSS.FFFFFF (and the old HH:MM:SS form); anything else is a <see cref="FormatException"/>.</summary>
    public static TimeOnly ParseTime(string s)
    {
        var text = s.Trim().Replace(":", "", StringComparison.Ordinal);
        int dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        // PS3.5 Table 6.2-1: HH, HHMM or HHMMSS, a fraction only after seconds.
        if (whole.Length is not (2 or 4 or 6) || (dot >= 0 && whole.Length != 6) || !whole.All(char.IsAsciiDigit))
            throw new FormatException($"'{s}' is not a DICOM time (HH[MM[SS[.FFFFFF]]]).");
        int h = int.Parse(whole.AsSpan(0, 2), CultureInfo.InvariantCulture);
        int m = whole.Length >= 4 ? int.Parse(whole.AsSpan(2, 2), CultureInfo.InvariantCulture) : 0;
        int sec = whole.Length >= 6 ? int.Parse(whole.AsSpan(4, 2), CultureInfo.InvariantCulture) : 0;
        if (sec == 60) sec = 59; // leap second allowed by PS3.5
        if (h > 23 || m > 59 || sec > 59) throw new FormatException($"'{s}' is not a valid time of day.");
        long ticks = 0;
        if (dot >= 0)
        {
            var frac = text[(dot + 1)..];
            if (frac.Length is < 1 or > 6 || !frac.All(char.IsAsciiDigit)) throw new FormatException($"'{s}' has an invalid fraction of a second.");
            ticks = long.Parse(frac.PadRight(7, '0'), CultureInfo.InvariantCulture);
        }
        return new TimeOnly(h, m, sec).Add(TimeSpan.FromTicks(ticks));
    }

    /// <summary>Parses YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX].</summary>
    public static DateTimeOffset ParseDateTime(string s)
    {
        s = s.Trim();
        TimeSpan offset = TimeSpan.Zero;
        int z = s.IndexOfAny(['+', '-'], 4);
        if (z > 0)
        {
            var zs = s[z..];
            if (zs.Length != 5) throw new FormatException($"'{s}' has an invalid UTC offset.");
            int oh = int.Parse(zs.AsSpan(1, 2), CultureInfo.InvariantCulture), om = int.Parse(zs.AsSpan(3, 2), CultureInfo.InvariantCulture);
            offset = new TimeSpan(oh, om, 0) * (zs[0] == '-' ? -1 : 1);
            s = s[..z];
        }
        if (s.Length < 4) throw new FormatException($"'{s}' is not a DICOM date time.");
        int year = int.Parse(s.AsSpan(0, 4), CultureInfo.InvariantCulture);
        int month = s.Length >= 6 ? int.Parse(s.AsSpan(4, 2), CultureInfo.InvariantCulture) : 1;
        int day = s.Length >= 8 ? int.Parse(s.AsSpan(6, 2), CultureInfo.InvariantCulture) : 1;
        var time = s.Length >= 10 ? ParseTime(s[8..]) : TimeOnly.MinValue;
        return new DateTimeOffset(new DateOnly(year, month, day).ToDateTime(time), offset);
    }

    /// <summary>Formats YYYYMMDD.</summary>
    public static string FormatDate(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>Formats HHMMSS or HHMMSS.FFFFFF when there are fractional seconds.</summary>
    public static string FormatTime(TimeOnly t) =>
        t.Ticks % TimeSpan.TicksPerSecond == 0 ? t.ToString("HHmmss", CultureInfo.InvariantCulture) : t.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>Formats YYYYMMDDHHMMSS[.FFFFFF].</summary>
    public static string FormatDateTime(DateTime dt) => FormatDate(DateOnly.FromDateTime(dt)) + FormatTime(TimeOnly.FromDateTime(dt));

    /// <summary>Formats YYYYMMDDHHMMSS[.FFFFFF]&amp;ZZXX.</summary>
    public static string FormatDateTime(DateTimeOffset dt)
    {
        var o = dt.Offset;
        return FormatDateTime(dt.DateTime) + (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
    }
}
