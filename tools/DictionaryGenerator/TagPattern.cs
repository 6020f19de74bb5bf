using System.Globalization;

namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>Turns the two notations of repeating tags into a (value, mask) pair whose mask clears the bits that vary.</summary>
internal static class TagPattern
{
    /// <summary>PS3.6 "x" notation as used by pydicom: "60xx3000" → (0x60003000, 0xFF00FFFF); "002804x0" → (0x00280400, 0xFFFFFF0F).</summary>
    public static (uint Value, uint Mask) FromXNotation(string text)
    {
        if (text.Length != 8) throw new FormatException($"'{text}' is not an 8-digit tag pattern.");
        uint value = 0, mask = 0;
        foreach (char c in text)
        {
            value <<= 4; mask <<= 4;
            if (c is 'x' or 'X') continue;
            value |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            mask |= 0xF;
        }
        return (value, mask);
    }

    /// <summary>
    /// DCMTK's range notation for one half of a tag: "6000-60FF" (even numbers only), "7001-o-70ff" (odd only), "0010-u-00FF"
    /// (all), or a plain number. The range must be expressible as a mask: the varying bits are the low bits (above bit 0 for
    /// even/odd ranges).
    /// </summary>
    public static (ushort Value, ushort Mask) FromDcmtkRange(string text, bool isGroup)
    {
        string[] parts = text.Split('-');
        ushort Hex(string s) => ushort.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (parts.Length == 1) return (Hex(parts[0]), 0xFFFF);
        ushort lo, hi; char parity;
        if (parts.Length == 2) { lo = Hex(parts[0]); hi = Hex(parts[1]); parity = isGroup ? 'e' : 'u'; }
        else if (parts.Length == 3 && parts[1] is "o" or "u") { lo = Hex(parts[0]); hi = Hex(parts[2]); parity = parts[1][0]; }
        else throw new FormatException($"'{text}' is not a DCMTK tag range.");
        ushort varying = (ushort)(lo ^ hi);
        if (parity != 'u') varying &= 0xFFFE;
        // The varying bits must be a contiguous run of low bits that are all zero in lo and all one in hi.
        ushort run = (ushort)(varying | (parity != 'u' ? 1 : 0));
        if ((run & (run + 1)) != 0 || (lo & varying) != 0 || (hi & varying) != varying)
            throw new FormatException($"Range '{text}' cannot be expressed as a tag mask.");
        ushort mask = (ushort)~varying;
        return ((ushort)(lo & mask), mask);
    }
}
