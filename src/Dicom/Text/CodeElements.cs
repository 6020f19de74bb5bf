using System.Text;

namespace EdgeCancer.Dicom.Text;

/// <summary>
/// The known code elements and their escape sequences (PS3.3 C.12.1.1.2 Tables C.12-3 and C.12-4). Each element's
/// tables are built once, on first use, from the code pages of <see cref="CodePagesEncodingProvider"/> (obtained from
/// the provider directly, so nothing is registered globally).
/// </summary>
internal static class CodeElements
{
    private const byte Esc = 0x1B;

    private static readonly Lazy<CodeElement>[] Elements = CreateAll();

    // Escape sequence → element, for recognising designations while decoding (PS3.5 §6.1.2.5.1).
    private static readonly (byte[] Sequence, CodeElementId Id)[] EscapeSequences =
    [
        ([Esc, 0x28, 0x42], CodeElementId.Ascii),       // ESC ( B
        ([Esc, 0x28, 0x4A], CodeElementId.JisRomaji),   // ESC ( J
        ([Esc, 0x29, 0x49], CodeElementId.JisKatakana), // ESC ) I
        ([Esc, 0x2D, 0x41], CodeElementId.Latin1),      // ESC - A
        ([Esc, 0x2D, 0x42], CodeElementId.Latin2),      // ESC - B
        ([Esc, 0x2D, 0x43], CodeElementId.Latin3),      // ESC - C
        ([Esc, 0x2D, 0x44], CodeElementId.Latin4),      // ESC - D
        ([Esc, 0x2D, 0x4C], CodeElementId.Cyrillic),    // ESC - L
        ([Esc, 0x2D, 0x47], CodeElementId.Arabic),      // ESC - G
        ([Esc, 0x2D, 0x46], CodeElementId.Greek),       // ESC - F
        ([Esc, 0x2D, 0x48], CodeElementId.Hebrew),      // ESC - H
        ([Esc, 0x2D, 0x4D], CodeElementId.Latin5),      // ESC - M
        ([Esc, 0x2D, 0x62], CodeElementId.Latin9),      // ESC - b
        ([Esc, 0x2D, 0x54], CodeElementId.Thai),        // ESC - T
        ([Esc, 0x24, 0x42], CodeElementId.JisX0208),    // ESC $ B
        ([Esc, 0x24, 0x28, 0x44], CodeElementId.JisX0212), // ESC $ ( D
        ([Esc, 0x24, 0x29, 0x43], CodeElementId.KsX1001),  // ESC $ ) C
        ([Esc, 0x24, 0x29, 0x41], CodeElementId.Gb2312),   // ESC $ ) A
    ];

    /// <summary>The element for <paramref name="id"/>, building its tables on first use.</summary>
    public static CodeElement Get(CodeElementId id) => Elements[(int)id].Value;

    /// <summary>Matches a designation escape sequence at the start of <paramref name="bytes"/> (which starts with ESC).</summary>
    public static bool TryMatchEscape(ReadOnlySpan<byte> bytes, out CodeElementId id, out int length)
    {
        foreach (var (sequence, elementId) in EscapeSequences)
        {
            if (bytes.StartsWith(sequence))
            {
                id = elementId;
                length = sequence.Length;
                return true;
            }
        }
        id = default;
        length = 0;
        return false;
    }

    private static Lazy<CodeElement>[] CreateAll()
    {
        var all = new Lazy<CodeElement>[Enum.GetValues<CodeElementId>().Length];
        foreach (var id in Enum.GetValues<CodeElementId>())
            all[(int)id] = new Lazy<CodeElement>(() => Create(id), LazyThreadSafetyMode.ExecutionAndPublication);
        return all;
    }

    private static CodeElement Create(CodeElementId id) => id switch
    {
        CodeElementId.Ascii => CodeElement.CreateAscii(),
        CodeElementId.JisRomaji => CodeElement.CreateJisRomaji(),
        CodeElementId.JisKatakana => CodeElement.CreateJisKatakana(),
        CodeElementId.Latin1 => CodeElement.CreateSingleByteG1(id, "ISO-IR 100", 0x41, codePage: null), // identity
        CodeElementId.Latin2 => CodeElement.CreateSingleByteG1(id, "ISO-IR 101", 0x42, CodePage(28592)),
        CodeElementId.Latin3 => CodeElement.CreateSingleByteG1(id, "ISO-IR 109", 0x43, CodePage(28593)),
        CodeElementId.Latin4 => CodeElement.CreateSingleByteG1(id, "ISO-IR 110", 0x44, CodePage(28594)),
        CodeElementId.Cyrillic => CodeElement.CreateSingleByteG1(id, "ISO-IR 144", 0x4C, CodePage(28595)),
        CodeElementId.Arabic => CodeElement.CreateSingleByteG1(id, "ISO-IR 127", 0x47, CodePage(28596)),
        CodeElementId.Greek => CodeElement.CreateSingleByteG1(id, "ISO-IR 126", 0x46, CodePage(28597)),
        CodeElementId.Hebrew => CodeElement.CreateSingleByteG1(id, "ISO-IR 138", 0x48, CodePage(28598)),
        CodeElementId.Latin5 => CodeElement.CreateSingleByteG1(id, "ISO-IR 148", 0x4D, CodePage(28599)),
        CodeElementId.Latin9 => CodeElement.CreateSingleByteG1(id, "ISO-IR 203", 0x62, CodePage(28605)),
        // TIS 620-2533 is the right half of Windows code page 874 (which adds only 0x80–0x9F, not used in G1).
        CodeElementId.Thai => CodeElement.CreateSingleByteG1(id, "ISO-IR 166", 0x54, CodePage(874)),
        // Code page 20932 is EUC-JP: JIS X 0208 with bit 7 set on both bytes, and JIS X 0212 with bit 7 set on the
        // first byte only (Windows' two-byte form of the EUC-JP 0x8F single-shift three-byte sequence).
        CodeElementId.JisX0208 => CodeElement.CreateDoubleByte(id, "ISO-IR 87", [Esc, 0x24, 0x42], isG0: true,
            CodePage(20932), static (a, b) => ((byte)(a | 0x80), (byte)(b | 0x80))),
        CodeElementId.JisX0212 => CodeElement.CreateDoubleByte(id, "ISO-IR 159", [Esc, 0x24, 0x28, 0x44], isG0: true,
            CodePage(20932), static (a, b) => ((byte)(a | 0x80), (byte)b)),
        // EUC-KR (51949) and GB 2312 (20936) are the 94x94 sets with bit 7 set on both bytes, as in G1.
        CodeElementId.KsX1001 => CodeElement.CreateDoubleByte(id, "ISO-IR 149", [Esc, 0x24, 0x29, 0x43], isG0: false,
            CodePage(51949), static (a, b) => ((byte)(a | 0x80), (byte)(b | 0x80))),
        CodeElementId.Gb2312 => CodeElement.CreateDoubleByte(id, "ISO-IR 58", [Esc, 0x24, 0x29, 0x41], isG0: false,
            CodePage(20936), static (a, b) => ((byte)(a | 0x80), (byte)(b | 0x80))),
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "Unknown code element."),
    };

    /// <summary>A code page from the in-box provider, without <c>Encoding.RegisterProvider</c>.</summary>
    internal static Encoding CodePage(int codePage) =>
        CodePagesEncodingProvider.Instance.GetEncoding(codePage)
        ?? throw new InvalidOperationException($"Code page {codePage} is not available from CodePagesEncodingProvider.");
}
