using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom;

/// <summary>
/// Converts between typed values and the bytes of an element (PS3.5 §6.2). Stateless; strings go through a
/// <see cref="DicomCharacterSet"/>.
/// </summary>
public static class DicomValueCodec
{
    /// <summary>Decodes a string VR's value as one text, without its trailing padding (and leading spaces where insignificant).</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes, DicomVR vr, DicomCharacterSet charset)
    {
        var text = charset.Decode(bytes, vr);
        return TrimValue(text, vr);
    }

    /// <summary>Splits a decoded string value into its values (not for LT/ST/UT/UR, which are single-valued) and trims each per its VR.</summary>
    public static string[] DecodeStrings(ReadOnlySpan<byte> bytes, DicomVR vr, DicomCharacterSet charset)
    {
        if (bytes.IsEmpty) return [];
        var text = charset.Decode(bytes, vr);
        if (vr.Kind == DicomVRKind.Text) return [TrimValue(text, vr)];
        var parts = text.Split('\\');
        for (int i = 0; i < parts.Length; i++) parts[i] = TrimValue(parts[i], vr);
        return parts;
    }

    // PS3.5 Table 6.2-1: trailing spaces insignificant for all string VRs; leading spaces insignificant except for
    // LT/ST/UT/UC? (UC: trailing only); UI is padded with NUL.
    private static string TrimValue(string s, DicomVR vr)
    {
        if (vr == DicomVR.UI) return s.TrimEnd('\0', ' ');
        if (vr == DicomVR.LT || vr == DicomVR.ST || vr == DicomVR.UT || vr == DicomVR.UC || vr == DicomVR.UR) return s.TrimEnd(' ', '\0');
        return s.Trim(' ', '\0');
    }

    /// <summary>Encodes string values: joined with '\', charset-encoded and padded to even length with the VR's padding byte.</summary>
    public static byte[] EncodeStrings(IReadOnlyList<string> values, DicomVR vr, DicomCharacterSet charset)
    {
        string joined = values.Count == 1 ? values[0] : string.Join('\\', values);
        byte[] raw = charset.Encode(joined, vr);
        if ((raw.Length & 1) == 0) return raw;
        var padded = new byte[raw.Length + 1];
        raw.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte;
        return padded;
    }

    /// <summary>Decodes all values of an element as <typeparamref name="T"/>.</summary>
    public static T[] Decode<T>(DicomElement element, DicomCharacterSet charset)
    {
        var vr = element.VR;
        var memory = element.Buffer.Memory;
        var bytes = memory.Span;
        if (typeof(T) == typeof(byte)) return (T[])(object)bytes.ToArray();

        if (vr.IsString)
        {
            if (typeof(T) == typeof(string))
                return (T[])(object)DecodeStrings(bytes, vr, charset);
            var strings = DecodeStrings(bytes, vr, charset);
            var result = new T[strings.Length];
            for (int i = 0; i < strings.Length; i++) result[i] = ParseString<T>(strings[i], vr, element.Tag);
            return result;
        }

        if (vr == DicomVR.AT)
        {
            var tags = new DicomTag[bytes.Length / 4];
            for (int i = 0; i < tags.Length; i++)
                tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4 + 2)..]));
            if (typeof(T) == typeof(DicomTag)) return (T[])(object)tags;
            if (typeof(T) == typeof(string)) return (T[])(object)Array.ConvertAll(tags, t => t.ToString());
            throw new DicomDataException($"{element.Tag} AT cannot be read as {typeof(T).Name}.");
        }

        // Binary and bulk VRs: reinterpret as the VR's native type, then convert.
        if (vr == DicomVR.US || vr == DicomVR.OW) return Convert<ushort, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.SS) return Convert<short, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.UL || vr == DicomVR.OL) return Convert<uint, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.SL) return Convert<int, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.FL || vr == DicomVR.OF) return Convert<float, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.FD || vr == DicomVR.OD) return Convert<double, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.SV) return Convert<long, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.UV || vr == DicomVR.OV) return Convert<ulong, T>(bytes, element.Tag, vr);
        if (vr == DicomVR.OB || vr == DicomVR.UN) return Convert<byte, T>(bytes, element.Tag, vr);
        throw new DicomDataException($"{element.Tag} {vr} cannot be read as {typeof(T).Name}.");
    }

    private static T[] Convert<TNative, T>(ReadOnlySpan<byte> bytes, DicomTag tag, DicomVR vr) where TNative : unmanaged
    {
        int size = Marshal.SizeOf<TNative>();
        int count = bytes.Length / size;
        if (typeof(T) == typeof(TNative))
        {
            var same = new T[count];
            bytes[..(count * size)].CopyTo(MemoryMarshal.AsBytes(((TNative[])(object)same).AsSpan()));
            return same;
        }
        var native = new TNative[count];
        bytes[..(count * size)].CopyTo(MemoryMarshal.AsBytes(native.AsSpan()));
        var result = new T[count];
        for (int i = 0; i < count; i++)
        {
            object v = native[i];
            try
            {
                result[i] = typeof(T) == typeof(string)
                    ? (T)(object)System.Convert.ToString(v, CultureInfo.InvariantCulture)!
                    : (T)System.Convert.ChangeType(v, typeof(T), CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is InvalidCastException or OverflowException)
            {
                throw new DicomDataException($"{tag} {vr} value {v} cannot be read as {typeof(T).Name}.", ex);
            }
        }
        return result;
    }

    private static T ParseString<T>(string s, DicomVR vr, DicomTag tag)
    {
        try
        {
            object value;
            if (typeof(T) == typeof(DicomUid)) value = new DicomUid(s);
            else if (typeof(T) == typeof(DicomPersonName)) value = new DicomPersonName(s);
            else if (typeof(T) == typeof(DateOnly)) value = DicomDateTime.ParseDate(s);
            else if (typeof(T) == typeof(TimeOnly)) value = DicomDateTime.ParseTime(s);
            else if (typeof(T) == typeof(DateTime))
                value = vr == DicomVR.DA ? DicomDateTime.ParseDate(s).ToDateTime(TimeOnly.MinValue)
                    : vr == DicomVR.TM ? DateTime.MinValue.Add(DicomDateTime.ParseTime(s).ToTimeSpan())
                    : DicomDateTime.ParseDateTime(s).DateTime;
            else if (typeof(T) == typeof(DateTimeOffset)) value = DicomDateTime.ParseDateTime(s);
            else if (typeof(T) == typeof(DicomTag)) value = DicomTag.Parse(s);
            else if (typeof(T) == typeof(decimal)) value = decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(double)) value = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(float)) value = float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(int)) value = vr == DicomVR.DS ? (int)decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) : int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(long)) value = long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(uint)) value = uint.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(ushort)) value = ushort.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            else if (typeof(T) == typeof(short)) value = short.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
            else throw new DicomDataException($"{tag} {vr} cannot be read as {typeof(T).Name}.");
            return (T)value;
        }
        catch (FormatException ex)
        {
            throw new DicomDataException($"{tag} {vr} value '{s}' is not a valid {typeof(T).Name}.", ex);
        }
        catch (OverflowException ex)
        {
            throw new DicomDataException($"{tag} {vr} value '{s}' is out of range for {typeof(T).Name}.", ex);
        }
    }

    /// <summary>Encodes typed values for <paramref name="vr"/>.</summary>
    public static byte[] Encode<T>(DicomVR vr, IReadOnlyList<T> values, DicomCharacterSet charset)
    {
        if (vr.IsString)
        {
            var strings = new string[values.Count];
            for (int i = 0; i < strings.Length; i++) strings[i] = FormatString(values[i], vr);
            return EncodeStrings(strings, vr, charset);
        }
        if (vr == DicomVR.AT)
        {
            var bytes = new byte[values.Count * 4];
            for (int i = 0; i < values.Count; i++)
            {
                var t = values[i] is DicomTag tag ? tag : DicomTag.Parse(values[i]?.ToString() ?? "");
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), t.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4 + 2), t.Element);
            }
            return bytes;
        }
        if (vr == DicomVR.OB || vr == DicomVR.UN) return EncodeNative<byte, T>(values, vr);
        if (vr == DicomVR.US || vr == DicomVR.OW) return EncodeNative<ushort, T>(values, vr);
        if (vr == DicomVR.SS) return EncodeNative<short, T>(values, vr);
        if (vr == DicomVR.UL || vr == DicomVR.OL) return EncodeNative<uint, T>(values, vr);
        if (vr == DicomVR.SL) return EncodeNative<int, T>(values, vr);
        if (vr == DicomVR.FL || vr == DicomVR.OF) return EncodeNative<float, T>(values, vr);
        if (vr == DicomVR.FD || vr == DicomVR.OD) return EncodeNative<double, T>(values, vr);
        if (vr == DicomVR.SV) return EncodeNative<long, T>(values, vr);
        if (vr == DicomVR.UV || vr == DicomVR.OV) return EncodeNative<ulong, T>(values, vr);
        throw new DicomDataException($"Values of VR {vr} cannot be encoded from {typeof(T).Name}.");
    }

    private static byte[] EncodeNative<TNative, T>(IReadOnlyList<T> values, DicomVR vr) where TNative : unmanaged
    {
        var native = new TNative[values.Count];
        for (int i = 0; i < native.Length; i++)
        {
            object? v = values[i];
            native[i] = v is TNative n ? n
                : v is string s ? (TNative)System.Convert.ChangeType(s.Trim(), typeof(TNative), CultureInfo.InvariantCulture)
                : (TNative)System.Convert.ChangeType(v!, typeof(TNative), CultureInfo.InvariantCulture);
        }
        var bytes = MemoryMarshal.AsBytes(native.AsSpan()).ToArray();
        if ((bytes.Length & 1) == 1) Array.Resize(ref bytes, bytes.Length + 1); // OB/UN padding, PS3.5 §7.1
        return bytes;
    }

    /// <summary>Formats one typed value as the text of a string VR.</summary>
    public static string FormatString<T>(T value, DicomVR vr)
    {
        switch (value)
        {
            case null: return string.Empty;
            case string s: return s;
            case DicomUid u: return u.Value;
            case DicomPersonName pn: return pn.Value;
            case DicomTag t: return t.ToString();
            case DateOnly d: return DicomDateTime.FormatDate(d);
            case TimeOnly t: return DicomDateTime.FormatTime(t);
            case DateTime dt:
                return vr == DicomVR.DA ? dt.ToString("yyyyMMdd", CultureInfo.InvariantCulture)
                    : vr == DicomVR.TM ? DicomDateTime.FormatTime(TimeOnly.FromDateTime(dt))
                    : DicomDateTime.FormatDateTime(dt);
            case DateTimeOffset dto: return DicomDateTime.FormatDateTime(dto);
            case double d when vr == DicomVR.DS: return FormatDecimalString(d);
            // A float is formatted from its own shortest form: widening first would print 0.1f as 0.100000001490116.
            case float f when vr == DicomVR.DS: return FormatDecimalString(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            case decimal m when vr == DicomVR.DS: return FormatDecimalString((double)m);
            case IFormattable f: return f.ToString(null, CultureInfo.InvariantCulture);
            default: return value.ToString() ?? string.Empty;
        }
    }

    /// <summary>Formats a number as a DS value of at most 16 characters (PS3.5 Table 6.2-1).</summary>
    public static string FormatDecimalString(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new DicomDataException($"{value} cannot be written as a DS value.");
        for (int precision = 16; precision > 0; precision--)
        {
            var s = value.ToString("G" + precision, CultureInfo.InvariantCulture);
            if (s.Contains("E", StringComparison.Ordinal))
            {
                s = s.Replace("E+", "E", StringComparison.Ordinal);
            }
            if (s.Length <= 16) return s;
        }
        return value.ToString("E3", CultureInfo.InvariantCulture);
    }

    /// <summary>Decodes a text value for display the way dcmdump shows it (raw decoded text, padding removed).</summary>
    internal static string DecodeForDisplay(ReadOnlySpan<byte> bytes, DicomVR vr, DicomCharacterSet charset)
    {
        var s = charset.Decode(bytes, vr);
        return vr == DicomVR.UI ? s.TrimEnd('\0') : s;
    }

    internal static readonly Encoding Latin1 = Encoding.Latin1;
}
