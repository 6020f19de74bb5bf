using System.Collections.Frozen;

namespace EdgeCancer.Dicom.Text;

/// <summary>How a Defined Term of Specific Character Set (0008,0005) encodes text.</summary>
internal enum CharacterSetKind : byte
{
    /// <summary>Single-byte set without code extensions, e.g. "ISO_IR 100" (PS3.3 Table C.12-2).</summary>
    SingleByte,
    /// <summary>A set used with ISO 2022 code extensions, "ISO 2022 IR nnn" (PS3.3 Tables C.12-3 and C.12-4).</summary>
    CodeExtension,
    /// <summary>Multi-byte set without code extensions, decoded over the whole value (PS3.3 Table C.12-5).</summary>
    WholeValue,
}

/// <summary>
/// One Defined Term of Specific Character Set (0008,0005) and the code elements it brings (PS3.3 C.12.1.1.2).
/// <see cref="WholeValueCodePage"/> is set for ISO_IR 192 (65001), GB18030 (54936) and GBK (936).
/// </summary>
internal sealed record CharacterSetTerm(
    string DefinedTerm, CharacterSetKind Kind, CodeElementId? G0, CodeElementId? G1, int WholeValueCodePage = 0)
{
    /// <summary>The default repertoire, ISO-IR 6 (value empty or absent).</summary>
    public static readonly CharacterSetTerm Default = new("", CharacterSetKind.SingleByte, CodeElementId.Ascii, null);

    private static readonly CharacterSetTerm[] DefinedTerms =
    [
        // PS3.3 Table C.12-2, single-byte without code extensions. "ISO_IR 6" is not a Defined Term but is common and
        // unambiguous, so it is accepted as the default repertoire.
        new("ISO_IR 6", CharacterSetKind.SingleByte, CodeElementId.Ascii, null),
        new("ISO_IR 100", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin1),
        new("ISO_IR 101", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin2),
        new("ISO_IR 109", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin3),
        new("ISO_IR 110", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin4),
        new("ISO_IR 144", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Cyrillic),
        new("ISO_IR 127", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Arabic),
        new("ISO_IR 126", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Greek),
        new("ISO_IR 138", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Hebrew),
        new("ISO_IR 148", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin5),
        new("ISO_IR 203", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Latin9),
        new("ISO_IR 13", CharacterSetKind.SingleByte, CodeElementId.JisRomaji, CodeElementId.JisKatakana),
        new("ISO_IR 166", CharacterSetKind.SingleByte, CodeElementId.Ascii, CodeElementId.Thai),
        // PS3.3 Table C.12-3, single-byte with code extensions.
        new("ISO 2022 IR 6", CharacterSetKind.CodeExtension, CodeElementId.Ascii, null),
        new("ISO 2022 IR 100", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin1),
        new("ISO 2022 IR 101", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin2),
        new("ISO 2022 IR 109", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin3),
        new("ISO 2022 IR 110", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin4),
        new("ISO 2022 IR 144", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Cyrillic),
        new("ISO 2022 IR 127", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Arabic),
        new("ISO 2022 IR 126", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Greek),
        new("ISO 2022 IR 138", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Hebrew),
        new("ISO 2022 IR 148", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin5),
        new("ISO 2022 IR 203", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Latin9),
        new("ISO 2022 IR 13", CharacterSetKind.CodeExtension, CodeElementId.JisRomaji, CodeElementId.JisKatakana),
        new("ISO 2022 IR 166", CharacterSetKind.CodeExtension, CodeElementId.Ascii, CodeElementId.Thai),
        // PS3.3 Table C.12-4, multi-byte with code extensions.
        new("ISO 2022 IR 87", CharacterSetKind.CodeExtension, CodeElementId.JisX0208, null),
        new("ISO 2022 IR 159", CharacterSetKind.CodeExtension, CodeElementId.JisX0212, null),
        new("ISO 2022 IR 149", CharacterSetKind.CodeExtension, null, CodeElementId.KsX1001),
        new("ISO 2022 IR 58", CharacterSetKind.CodeExtension, null, CodeElementId.Gb2312),
        // PS3.3 Table C.12-5, multi-byte without code extensions.
        new("ISO_IR 192", CharacterSetKind.WholeValue, null, null, 65001),
        new("GB18030", CharacterSetKind.WholeValue, null, null, 54936),
        new("GBK", CharacterSetKind.WholeValue, null, null, 936),
    ];

    private static readonly FrozenDictionary<string, CharacterSetTerm> ByTerm =
        DefinedTerms.ToFrozenDictionary(t => t.DefinedTerm, StringComparer.Ordinal);

    // Spelling-insensitive key: upper case letters and digits only ("ISO-IR 100", "iso_ir100" → "ISOIR100").
    private static readonly FrozenDictionary<string, CharacterSetTerm> ByLooseKey = DefinedTerms
        .Select(t => (Key: LooseKey(t.DefinedTerm), Term: t))
        .Append((Key: "UTF8", Term: DefinedTerms.Single(t => t.DefinedTerm == "ISO_IR 192")))
        .ToFrozenDictionary(p => p.Key, p => p.Term, StringComparer.Ordinal);

    /// <summary>Finds a term spelled exactly as in PS3.3.</summary>
    public static bool TryGetExact(string value, out CharacterSetTerm term) => ByTerm.TryGetValue(value, out term!);

    /// <summary>Finds a term ignoring case, spaces, '_', '-' and other punctuation (common misspellings).</summary>
    public static bool TryGetLoose(string value, out CharacterSetTerm term) => ByLooseKey.TryGetValue(LooseKey(value), out term!);

    /// <summary>The code-extension form ("ISO 2022 IR nnn") of a single-byte term, if there is one.</summary>
    public CharacterSetTerm? AsCodeExtension() =>
        Kind == CharacterSetKind.SingleByte && DefinedTerm.StartsWith("ISO_IR ", StringComparison.Ordinal)
        && ByTerm.TryGetValue("ISO 2022 IR " + DefinedTerm["ISO_IR ".Length..], out var ext) ? ext : null;

    private static string LooseKey(string value) =>
        string.Create(value.Count(char.IsAsciiLetterOrDigit), value, static (span, v) =>
        {
            int n = 0;
            foreach (char c in v)
                if (char.IsAsciiLetterOrDigit(c)) span[n++] = char.ToUpperInvariant(c);
        });
}
