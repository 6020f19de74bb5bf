namespace EdgeCancer.Dicom;

/// <summary>How the values of a VR are represented (PS3.5 §6.2).</summary>
public enum DicomVRKind : byte
{
    /// <summary>Character string values separated by backslash (multi-valued).</summary>
    String,
    /// <summary>Character text with a single value that may contain backslashes (LT, ST, UT, UR).</summary>
    Text,
    /// <summary>Fixed-size binary numbers (FL, FD, SL, SS, UL, US, SV, UV, AT).</summary>
    Binary,
    /// <summary>Byte or word streams (OB, OD, OF, OL, OV, OW, UN).</summary>
    Bulk,
    /// <summary>Sequence of items.</summary>
    Sequence,
}

/// <summary>A Value Representation, PS3.5 §6.2 Table 6.2-1. Immutable table entry identified by its two-letter code.</summary>
public readonly record struct DicomVR
{
    private readonly ushort _code;

    private DicomVR(char c0, char c1) => _code = (ushort)((c0 << 8) | c1);

    /// <summary>The two-letter code, e.g. "PN".</summary>
    public string Code => _code == 0 ? "??" : new string([(char)(_code >> 8), (char)(_code & 0xFF)]);

    /// <summary>The two code bytes as they appear on the wire.</summary>
    public ushort Code16 => _code;

    /// <summary>Kind of value representation.</summary>
    public DicomVRKind Kind => Info.Kind;

    /// <summary>In Explicit VR, true when the header has a 2-byte reserved field and a 4-byte length (PS3.5 §7.1.2).</summary>
    public bool HasLongLength => Info.LongLength;

    /// <summary>Byte used to pad a value to even length: space for strings, NUL for UI and binary.</summary>
    public byte PaddingByte => Info.Padding;

    /// <summary>Size of one binary value (2 for US, 8 for FD), 1 for OB and strings.</summary>
    public int UnitSize => Info.Unit;

    /// <summary>Maximum length in characters of one value (strings) or 0 when unbounded.</summary>
    public int MaxLength => Info.MaxLen;

    /// <summary>True for string and text VRs.</summary>
    public bool IsString => Info.Kind is DicomVRKind.String or DicomVRKind.Text;

    /// <summary>True for VRs whose text is decoded with the Specific Character Set (SH, LO, ST, LT, UC, UT, PN).</summary>
    public bool IsCharacterSetDependent => this == SH || this == LO || this == ST || this == LT || this == UC || this == UT || this == PN;

    /// <summary>Name as in PS3.5.</summary>
    public string Name => Info.Name;

    /// <summary>True when this is one of the 34 defined VRs.</summary>
    public bool IsKnown => _code != 0 && Lookup(_code) is not null;

    private Entry Info => Lookup(_code) ?? UnknownEntry;

    public override string ToString() => Code;

#pragma warning disable CS1591
    public static readonly DicomVR AE = new('A', 'E');
    public static readonly DicomVR AS = new('A', 'S');
    public static readonly DicomVR AT = new('A', 'T');
    public static readonly DicomVR CS = new('C', 'S');
    public static readonly DicomVR DA = new('D', 'A');
    public static readonly DicomVR DS = new('D', 'S');
    public static readonly DicomVR DT = new('D', 'T');
    public static readonly DicomVR FL = new('F', 'L');
    public static readonly DicomVR FD = new('F', 'D');
    public static readonly DicomVR IS = new('I', 'S');
    public static readonly DicomVR LO = new('L', 'O');
    public static readonly DicomVR LT = new('L', 'T');
    public static readonly DicomVR OB = new('O', 'B');
    public static readonly DicomVR OD = new('O', 'D');
    public static readonly DicomVR OF = new('O', 'F');
    public static readonly DicomVR OL = new('O', 'L');
    public static readonly DicomVR OV = new('O', 'V');
    public static readonly DicomVR OW = new('O', 'W');
    public static readonly DicomVR PN = new('P', 'N');
    public static readonly DicomVR SH = new('S', 'H');
    public static readonly DicomVR SL = new('S', 'L');
    public static readonly DicomVR SQ = new('S', 'Q');
    public static readonly DicomVR SS = new('S', 'S');
    public static readonly DicomVR ST = new('S', 'T');
    public static readonly DicomVR SV = new('S', 'V');
    public static readonly DicomVR TM = new('T', 'M');
    public static readonly DicomVR UC = new('U', 'C');
    public static readonly DicomVR UI = new('U', 'I');
    public static readonly DicomVR UL = new('U', 'L');
    public static readonly DicomVR UN = new('U', 'N');
    public static readonly DicomVR UR = new('U', 'R');
    public static readonly DicomVR US = new('U', 'S');
    public static readonly DicomVR UT = new('U', 'T');
    public static readonly DicomVR UV = new('U', 'V');
    /// <summary>No VR (used for item and delimiter tags, and for unknown dictionary entries).</summary>
    public static readonly DicomVR None = default;
#pragma warning restore CS1591

    /// <summary>All 34 VRs of PS3.5 Table 6.2-1.</summary>
    public static IReadOnlyList<DicomVR> All => AllVRs;

    private static readonly DicomVR[] AllVRs =
    [
        AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
    ];

    /// <summary>Parses a two-letter code; false for anything that is not one of the 34 VRs.</summary>
    public static bool TryParse(ReadOnlySpan<char> code, out DicomVR vr)
    {
        vr = default;
        if (code.Length != 2) return false;
        ushort c = (ushort)((code[0] << 8) | code[1]);
        if (code[0] > 0x7F || code[1] > 0x7F || Lookup(c) is null) return false;
        vr = FromCode16(c);
        return true;
    }

    /// <summary>Parses a two-letter code or throws <see cref="FormatException"/>.</summary>
    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new FormatException($"'{code}' is not a DICOM VR.");

    /// <summary>Builds a VR from the two bytes read from an Explicit VR header; false when not a defined VR.</summary>
    public static bool TryFromBytes(byte b0, byte b1, out DicomVR vr)
    {
        ushort c = (ushort)((b0 << 8) | b1);
        vr = FromCode16(c);
        return Lookup(c) is not null;
    }

    private static DicomVR FromCode16(ushort c) => new((char)(c >> 8), (char)(c & 0xFF));

    private sealed record Entry(string Name, DicomVRKind Kind, bool LongLength, byte Padding, int Unit, int MaxLen);

    private static readonly Entry UnknownEntry = new("Unknown", DicomVRKind.Bulk, true, 0, 1, 0);

    private static Entry? Lookup(ushort code) => code switch
    {
        ('A' << 8) | 'E' => AeE,
        ('A' << 8) | 'S' => AsE,
        ('A' << 8) | 'T' => AtE,
        ('C' << 8) | 'S' => CsE,
        ('D' << 8) | 'A' => DaE,
        ('D' << 8) | 'S' => DsE,
        ('D' << 8) | 'T' => DtE,
        ('F' << 8) | 'L' => FlE,
        ('F' << 8) | 'D' => FdE,
        ('I' << 8) | 'S' => IsE,
        ('L' << 8) | 'O' => LoE,
        ('L' << 8) | 'T' => LtE,
        ('O' << 8) | 'B' => ObE,
        ('O' << 8) | 'D' => OdE,
        ('O' << 8) | 'F' => OfE,
        ('O' << 8) | 'L' => OlE,
        ('O' << 8) | 'V' => OvE,
        ('O' << 8) | 'W' => OwE,
        ('P' << 8) | 'N' => PnE,
        ('S' << 8) | 'H' => ShE,
        ('S' << 8) | 'L' => SlE,
        ('S' << 8) | 'Q' => SqE,
        ('S' << 8) | 'S' => SsE,
        ('S' << 8) | 'T' => StE,
        ('S' << 8) | 'V' => SvE,
        ('T' << 8) | 'M' => TmE,
        ('U' << 8) | 'C' => UcE,
        ('U' << 8) | 'I' => UiE,
        ('U' << 8) | 'L' => UlE,
        ('U' << 8) | 'N' => UnE,
        ('U' << 8) | 'R' => UrE,
        ('U' << 8) | 'S' => UsE,
        ('U' << 8) | 'T' => UtE,
        ('U' << 8) | 'V' => UvE,
        _ => null,
    };

    // PS3.5 Table 6.2-1 and §7.1.2 (which VRs use the 32-bit length form in Explicit VR).
    private static readonly Entry AeE = new("Application Entity", DicomVRKind.String, false, 0x20, 1, 16);
    private static readonly Entry AsE = new("Age String", DicomVRKind.String, false, 0x20, 1, 4);
    private static readonly Entry AtE = new("Attribute Tag", DicomVRKind.Binary, false, 0x00, 4, 0);
    private static readonly Entry CsE = new("Code String", DicomVRKind.String, false, 0x20, 1, 16);
    private static readonly Entry DaE = new("Date", DicomVRKind.String, false, 0x20, 1, 8);
    private static readonly Entry DsE = new("Decimal String", DicomVRKind.String, false, 0x20, 1, 16);
    private static readonly Entry DtE = new("Date Time", DicomVRKind.String, false, 0x20, 1, 26);
    private static readonly Entry FlE = new("Floating Point Single", DicomVRKind.Binary, false, 0x00, 4, 0);
    private static readonly Entry FdE = new("Floating Point Double", DicomVRKind.Binary, false, 0x00, 8, 0);
    private static readonly Entry IsE = new("Integer String", DicomVRKind.String, false, 0x20, 1, 12);
    private static readonly Entry LoE = new("Long String", DicomVRKind.String, false, 0x20, 1, 64);
    private static readonly Entry LtE = new("Long Text", DicomVRKind.Text, false, 0x20, 1, 10240);
    private static readonly Entry ObE = new("Other Byte", DicomVRKind.Bulk, true, 0x00, 1, 0);
    private static readonly Entry OdE = new("Other Double", DicomVRKind.Bulk, true, 0x00, 8, 0);
    private static readonly Entry OfE = new("Other Float", DicomVRKind.Bulk, true, 0x00, 4, 0);
    private static readonly Entry OlE = new("Other Long", DicomVRKind.Bulk, true, 0x00, 4, 0);
    private static readonly Entry OvE = new("Other 64-bit Very Long", DicomVRKind.Bulk, true, 0x00, 8, 0);
    private static readonly Entry OwE = new("Other Word", DicomVRKind.Bulk, true, 0x00, 2, 0);
    private static readonly Entry PnE = new("Person Name", DicomVRKind.String, false, 0x20, 1, 64);
    private static readonly Entry ShE = new("Short String", DicomVRKind.String, false, 0x20, 1, 16);
    private static readonly Entry SlE = new("Signed Long", DicomVRKind.Binary, false, 0x00, 4, 0);
    private static readonly Entry SqE = new("Sequence of Items", DicomVRKind.Sequence, true, 0x00, 1, 0);
    private static readonly Entry SsE = new("Signed Short", DicomVRKind.Binary, false, 0x00, 2, 0);
    private static readonly Entry StE = new("Short Text", DicomVRKind.Text, false, 0x20, 1, 1024);
    private static readonly Entry SvE = new("Signed 64-bit Very Long", DicomVRKind.Binary, true, 0x00, 8, 0);
    private static readonly Entry TmE = new("Time", DicomVRKind.String, false, 0x20, 1, 14);
    private static readonly Entry UcE = new("Unlimited Characters", DicomVRKind.String, true, 0x20, 1, 0);
    private static readonly Entry UiE = new("Unique Identifier", DicomVRKind.String, false, 0x00, 1, 64);
    private static readonly Entry UlE = new("Unsigned Long", DicomVRKind.Binary, false, 0x00, 4, 0);
    private static readonly Entry UnE = new("Unknown", DicomVRKind.Bulk, true, 0x00, 1, 0);
    private static readonly Entry UrE = new("Universal Resource Identifier", DicomVRKind.Text, true, 0x20, 1, 0);
    private static readonly Entry UsE = new("Unsigned Short", DicomVRKind.Binary, false, 0x00, 2, 0);
    private static readonly Entry UtE = new("Unlimited Text", DicomVRKind.Text, true, 0x20, 1, 0);
    private static readonly Entry UvE = new("Unsigned 64-bit Very Long", DicomVRKind.Binary, true, 0x00, 8, 0);
}
