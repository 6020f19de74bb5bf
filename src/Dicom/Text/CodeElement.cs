using System.Collections.Frozen;
using System.Text;

namespace EdgeCancer.Dicom.Text;

/// <summary>
/// One graphic character set as ISO/IEC 2022 sees it (PS3.5 §6.1.2.5): the escape sequence that designates it,
/// whether it goes into G0 (bytes 0x21–0x7E) or G1 (bytes 0xA0–0xFF), whether a character takes one or two bytes,
/// and the tables between its code positions and Unicode. Immutable after construction.
/// </summary>
internal sealed class CodeElement
{
    private const int Size94 = 94;

    // Width 1: indexed by the byte with its high bit cleared (0x00–0x7F). Width 2: 94x94, row-major from 0x21 0x21.
    private readonly char[] _toUnicode;
    // Width 1: the byte as written (G0 7-bit, G1 8-bit). Width 2: (first << 8) | second, both in 7-bit form.
    private readonly FrozenDictionary<char, ushort> _fromUnicode;

    private CodeElement(CodeElementId id, string registration, byte[] escape, bool isG0, int width, char[] toUnicode)
    {
        Id = id;
        Registration = registration;
        Escape = escape;
        IsG0 = isG0;
        Width = width;
        _toUnicode = toUnicode;
        var reverse = new Dictionary<char, ushort>();
        if (width == 1)
        {
            for (int i = 0; i < toUnicode.Length; i++)
            {
                byte b = (byte)(isG0 ? i : i | 0x80);
                char c = toUnicode[i];
                // C1 controls (0x80–0x9F) are never produced by the encoder; undefined positions hold U+FFFD.
                if (c == '\uFFFD' || (!isG0 && b < 0xA0)) continue;
                reverse.TryAdd(c, b);
            }
        }
        else
        {
            for (int i = 0; i < toUnicode.Length; i++)
            {
                char c = toUnicode[i];
                if (c == '\uFFFD') continue;
                reverse.TryAdd(c, (ushort)(((0x21 + i / Size94) << 8) | (0x21 + i % Size94)));
            }
        }
        _fromUnicode = reverse.ToFrozenDictionary();
    }

    /// <summary>Which set this is.</summary>
    public CodeElementId Id { get; }

    /// <summary>ISO registration, e.g. "ISO-IR 87", for messages.</summary>
    public string Registration { get; }

    /// <summary>The designating escape sequence, starting with ESC (PS3.3 Tables C.12-3 and C.12-4).</summary>
    public byte[] Escape { get; }

    /// <summary>True when designated into G0 (GL, 7-bit bytes); false for G1 (GR, 8-bit bytes).</summary>
    public bool IsG0 { get; }

    /// <summary>Bytes per character: 1 or 2.</summary>
    public int Width { get; }

    /// <summary>Decodes one byte of a single-byte set (either bit-7 form); U+FFFD for an undefined position.</summary>
    public char Decode(byte b) => _toUnicode[b & 0x7F];

    /// <summary>Decodes one two-byte code (either bit-7 form, both bytes in 0x21–0x7E after masking).</summary>
    public char Decode(byte first, byte second) =>
        _toUnicode[((first & 0x7F) - 0x21) * Size94 + ((second & 0x7F) - 0x21)];

    /// <summary>
    /// The code of <paramref name="c"/> in this set, as written on the wire: one byte (in the low 8 bits) or two bytes
    /// (first in the high 8 bits), with bit 7 set for G1 sets.
    /// </summary>
    public bool TryEncode(char c, out ushort code)
    {
        if (!_fromUnicode.TryGetValue(c, out code)) return false;
        if (Width == 2 && !IsG0) code |= 0x8080;
        return true;
    }

    /// <summary>ISO 646 (ISO-IR 6). Also used for JIS X 0201 Romaji, see <see cref="CreateJisRomaji"/>.</summary>
    public static CodeElement CreateAscii() =>
        new(CodeElementId.Ascii, "ISO-IR 6", [0x1B, 0x28, 0x42], isG0: true, width: 1, IdentityTable());

    /// <summary>
    /// JIS X 0201 Romaji (ISO-IR 14). Differs from ASCII only at 0x5C (YEN SIGN) and 0x7E (OVERLINE); like pydicom and
    /// DCMTK we keep them as '\' and '~', because 0x5C is also the DICOM value delimiter (PS3.5 §6.2).
    /// </summary>
    public static CodeElement CreateJisRomaji() =>
        new(CodeElementId.JisRomaji, "ISO-IR 14", [0x1B, 0x28, 0x4A], isG0: true, width: 1, IdentityTable());

    /// <summary>JIS X 0201 Katakana (ISO-IR 13): 0xA1–0xDF are the half-width katakana U+FF61–U+FF9F.</summary>
    public static CodeElement CreateJisKatakana()
    {
        var table = new char[128];
        for (int b = 0x80; b <= 0xFF; b++)
            table[b & 0x7F] = b < 0xA0 ? (char)b : b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + (b - 0xA1)) : '\uFFFD';
        return new(CodeElementId.JisKatakana, "ISO-IR 13", [0x1B, 0x29, 0x49], isG0: false, width: 1, table);
    }

    /// <summary>The right half of an ISO 8859 (or TIS 620) single-byte code page, designated into G1 with ESC 02/13 F.</summary>
    public static CodeElement CreateSingleByteG1(CodeElementId id, string registration, byte finalByte, Encoding? codePage)
    {
        var table = new char[128];
        Span<byte> one = stackalloc byte[1];
        Span<char> decoded = stackalloc char[2];
        Span<byte> back = stackalloc byte[4];
        for (int b = 0x80; b <= 0xFF; b++)
        {
            char c = (char)b;
            if (b >= 0xA0 && codePage is not null)
            {
                // A position is defined only when the code page maps it to one character that maps back to it.
                one[0] = (byte)b;
                c = '\uFFFD';
                if (codePage.GetChars(one, decoded) == 1 && decoded[0] != '\uFFFD'
                    && codePage.GetBytes(decoded[..1], back) == 1 && back[0] == b)
                    c = decoded[0];
            }
            table[b & 0x7F] = c;
        }
        return new(id, registration, [0x1B, 0x2D, finalByte], isG0: false, width: 1, table);
    }

    /// <summary>
    /// A 94x94 set built from a Windows/EUC code page. <paramref name="toCodePage"/> turns the two 7-bit codes into the
    /// code page's bytes (e.g. EUC-JP sets bit 7 of both bytes for JIS X 0208).
    /// </summary>
    public static CodeElement CreateDoubleByte(
        CodeElementId id, string registration, byte[] escape, bool isG0, Encoding codePage, Func<int, int, (byte, byte)> toCodePage)
    {
        var table = new char[Size94 * Size94];
        Span<byte> pair = stackalloc byte[2];
        Span<char> decoded = stackalloc char[4];
        Span<byte> back = stackalloc byte[8];
        for (int row = 0; row < Size94; row++)
        {
            for (int col = 0; col < Size94; col++)
            {
                (pair[0], pair[1]) = toCodePage(0x21 + row, 0x21 + col);
                char c = '\uFFFD';
                // Keep only codes that round-trip, so undefined positions decode to U+FFFD instead of a code page's
                // default character, and every character we decode encodes back to the same bytes.
                if (codePage.GetChars(pair, decoded) == 1 && decoded[0] != '\uFFFD'
                    && codePage.GetBytes(decoded[..1], back) == 2 && back[0] == pair[0] && back[1] == pair[1])
                    c = decoded[0];
                table[row * Size94 + col] = c;
            }
        }
        return new(id, registration, escape, isG0, width: 2, table);
    }

    private static char[] IdentityTable()
    {
        var table = new char[128];
        for (int i = 0; i < table.Length; i++) table[i] = (char)i;
        return table;
    }

    public override string ToString() => Registration;
}
