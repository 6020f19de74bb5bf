using System.Buffers;
using System.Text;

namespace EdgeCancer.Dicom.Text;

/// <summary>
/// The character set of a dataset, made from the values of Specific Character Set (0008,0005)
/// (PS3.3 C.12.1.1.2, PS3.5 §6.1). Decodes and encodes the values of SH, LO, ST, LT, UC, UT and PN; every other VR is
/// ISO 646 and is read and written as ISO 8859-1 so that no byte is ever lost. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para>Supported: the default repertoire (empty, ISO-IR 6), ISO_IR 100, 101, 109, 110, 144, 127, 126, 138, 148,
/// 203, 13 and 166; ISO_IR 192 (UTF-8), GB18030 and GBK; and ISO 2022 code extensions with ISO 2022 IR 6, 100, 101,
/// 109, 110, 144, 127, 126, 138, 148, 203, 13, 166, 87 (JIS X 0208), 159 (JIS X 0212), 149 (KS X 1001) and
/// 58 (GB 2312).</para>
/// <para>Values are decoded as a whole, delimiters included, because with multi-byte sets a 0x5C or 0x5E byte can
/// be half of a character: split the returned string, not the bytes.</para>
/// </remarks>
public sealed class DicomCharacterSet
{
    private const int StackLimit = 256;

    private static readonly Encoding Latin1 = Encoding.Latin1;

    private readonly CodeElement _initialG0;
    private readonly CodeElement? _initialG1;
    private readonly CodeElement[] _candidates;
    private readonly Encoding? _wholeValue;

    private DicomCharacterSet(
        IReadOnlyList<string> definedTerms, bool codeExtensions, CodeElement initialG0, CodeElement? initialG1,
        CodeElement[] candidates, Encoding? wholeValue)
    {
        DefinedTerms = definedTerms;
        UsesCodeExtensions = codeExtensions;
        _initialG0 = initialG0;
        _initialG1 = initialG1;
        _candidates = candidates;
        _wholeValue = wholeValue;
    }

    /// <summary>The default character repertoire, ISO-IR 6 (Specific Character Set empty or absent).</summary>
    public static DicomCharacterSet Default { get; } =
        new([], false, CodeElements.Get(CodeElementId.Ascii), null, [CodeElements.Get(CodeElementId.Ascii)], null);

    /// <summary>
    /// The Defined Terms in effect, after corrections, in the order given ("" stands for the default repertoire as
    /// value 1). Empty for the default repertoire.
    /// </summary>
    public IReadOnlyList<string> DefinedTerms { get; }

    /// <summary>True when ISO 2022 escape sequences are interpreted and written (PS3.5 §6.1.2.5).</summary>
    public bool UsesCodeExtensions { get; }

    /// <summary>
    /// Makes the character set for the values of Specific Character Set (0008,0005). Never throws for bad values:
    /// a misspelled Defined Term ("ISO-IR 100", "ISO_IR100") is corrected; an unknown value 1 is replaced by
    /// ISO_IR 100 (ISO 8859-1); an unknown later value is ignored. Each such decision is reported through
    /// <paramref name="warn"/>.
    /// </summary>
    /// <param name="specificCharacterSetValues">The values of (0008,0005), null or empty for the default repertoire.</param>
    /// <param name="warn">Receives one message per correction or fallback; may be null.</param>
    public static DicomCharacterSet Create(IReadOnlyList<string>? specificCharacterSetValues, Action<string>? warn = null)
    {
        // Every data set of a series names the same set: made once, reused (character sets are immutable). A value that
        // needed a correction is made again each time, so that each data set reports it.
        if (specificCharacterSetValues is null || specificCharacterSetValues.Count == 0) return Default;
        var key = specificCharacterSetValues.Count == 1 ? specificCharacterSetValues[0] ?? "" : string.Join('\\', specificCharacterSetValues);
        // A value holding the delimiter itself would share its key with the values it looks like: not cached.
        bool cacheable = true;
        foreach (var v in specificCharacterSetValues) if (v is not null && v.Contains('\\')) cacheable = false;
        if (cacheable && s_made.TryGetValue(key, out var made)) return made;
        bool corrected = false;
        var set = CreateCore(specificCharacterSetValues, message =>
        {
            corrected = true;
            warn?.Invoke(message);
        });
        if (cacheable && !corrected && s_made.Count < MaxMade) s_made.TryAdd(key, set);
        return set;
    }

    private const int MaxMade = 64;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, DicomCharacterSet> s_made = new(StringComparer.Ordinal);

    private static DicomCharacterSet CreateCore(IReadOnlyList<string> specificCharacterSetValues, Action<string> warn)
    {
        var values = specificCharacterSetValues.Select(v => (v ?? "").Trim(' ', '\0')).ToList();
        while (values.Count > 0 && values[^1].Length == 0) values.RemoveAt(values.Count - 1);
        if (values.Count == 0) return Default;

        var terms = new List<CharacterSetTerm>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            var term = Resolve(values[i], i, values.Count > 1, warn);
            if (term is null) continue;

            if (term.Kind == CharacterSetKind.WholeValue)
            {
                // PS3.3 Table C.12-5: these sets admit no code extensions, so they stand alone.
                if (i == 0)
                {
                    if (values.Count > 1)
                        warn?.Invoke($"Specific Character Set (0008,0005) '{string.Join('\\', values)}': {term.DefinedTerm} "
                            + "cannot be combined with other character sets (PS3.3 C.12.1.1.2); the other values are ignored.");
                    return new DicomCharacterSet([term.DefinedTerm], false, CodeElements.Get(CodeElementId.Ascii), null, [],
                        WholeValueEncoding(term.WholeValueCodePage));
                }
                warn?.Invoke($"Specific Character Set (0008,0005) value {i + 1} '{values[i]}': {term.DefinedTerm} "
                    + "cannot be used as a code extension (PS3.3 C.12.1.1.2); it is ignored.");
                continue;
            }
            terms.Add(term);
        }

        if (terms.Count == 0) return Default;

        bool codeExtensions = terms.Count > 1 || terms.Any(t => t.Kind == CharacterSetKind.CodeExtension);
        if (codeExtensions)
        {
            for (int i = 0; i < terms.Count; i++)
            {
                if (terms[i].Kind != CharacterSetKind.SingleByte || terms[i].DefinedTerm.Length == 0) continue;
                var extension = terms[i].AsCodeExtension();
                if (extension is null) continue; // "ISO_IR 6": plain ASCII either way
                warn?.Invoke($"Specific Character Set (0008,0005) '{terms[i].DefinedTerm}' is used with code extensions; "
                    + $"assuming '{extension.DefinedTerm}' (PS3.3 C.12.1.1.2).");
                terms[i] = extension;
            }
        }

        // Value 1 gives the sets active at the start of a value and after every reset point (PS3.5 §6.1.2.5.3).
        // A 94x94 set cannot be the initial G0, because the delimiters must stay readable.
        var first = terms[0];
        var initialG0 = first.G0 is { } g0Id && CodeElements.Get(g0Id).Width == 1
            ? CodeElements.Get(g0Id) : CodeElements.Get(CodeElementId.Ascii);
        var initialG1 = first.G1 is { } g1Id ? CodeElements.Get(g1Id) : null;

        var candidates = new List<CodeElement> { initialG0 };
        if (initialG1 is not null) candidates.Add(initialG1);
        foreach (var term in terms)
        {
            foreach (var id in new[] { term.G0, term.G1 })
            {
                if (id is null) continue;
                var element = CodeElements.Get(id.Value);
                if (!candidates.Contains(element)) candidates.Add(element);
            }
        }

        return new DicomCharacterSet(terms.Select(t => t.DefinedTerm).ToArray(), codeExtensions, initialG0, initialG1,
            codeExtensions ? candidates.ToArray() : candidates.Take(initialG1 is null ? 1 : 2).ToArray(), null);
    }

    /// <summary>
    /// Decodes the bytes of one element value (all its values, with their delimiters). For VRs that do not depend on
    /// the character set the bytes are read as ISO 8859-1.
    /// </summary>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty) return string.Empty;
        // ISO 646 fast path: 7-bit bytes without ESC mean the same in every supported set (PS3.5 §6.1.2.5.3: value 1
        // always puts a single-byte set in G0).
        if (!vr.IsCharacterSetDependent
            || (!value.ContainsAnyExceptInRange((byte)0x00, (byte)0x7F) && (!UsesCodeExtensions || !value.Contains((byte)0x1B))))
            return Latin1.GetString(value);

        if (_wholeValue is not null) return _wholeValue.GetString(value);

        char[]? rented = null;
        Span<char> buffer = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            int n = Iso2022Decoder.Decode(value, buffer, _initialG0, _initialG1, UsesCodeExtensions,
                ResetPointsExtensions.ForVR(vr));
            return new string(buffer[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Encodes the text of one element value (all its values, with their delimiters), without padding. Characters
    /// the character set cannot represent become '?'; check with <see cref="CanEncode"/> first.
    /// </summary>
    public byte[] Encode(string text, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new byte[GetByteCount(text, vr)];
        Encode(text, vr, bytes);
        return bytes;
    }

    /// <summary>The number of bytes <see cref="Encode(ReadOnlySpan{char}, DicomVR, Span{byte})"/> writes.</summary>
    public int GetByteCount(ReadOnlySpan<char> text, DicomVR vr)
    {
        if (!vr.IsCharacterSetDependent || Ascii.IsValid(text)) return text.Length;
        if (_wholeValue is not null) return _wholeValue.GetByteCount(text);
        return Iso2022Encoder.Encode(text, [], countOnly: true, _initialG0, _initialG1, _candidates,
            ResetPointsExtensions.ForVR(vr));
    }

    /// <summary>
    /// Encodes into <paramref name="destination"/> and returns the number of bytes written.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is shorter than <see cref="GetByteCount"/>.</exception>
    public int Encode(ReadOnlySpan<char> text, DicomVR vr, Span<byte> destination)
    {
        if (!vr.IsCharacterSetDependent) return Latin1.GetBytes(text, destination);
        if (Ascii.IsValid(text))
        {
            if (destination.Length < text.Length)
                throw new ArgumentException("The destination is too small; size it with GetByteCount.", nameof(destination));
            Ascii.FromUtf16(text, destination, out int written);
            return written;
        }
        if (_wholeValue is not null) return _wholeValue.GetBytes(text, destination);
        return Iso2022Encoder.Encode(text, destination, countOnly: false, _initialG0, _initialG1, _candidates,
            ResetPointsExtensions.ForVR(vr));
    }

    /// <summary>True when every character of <paramref name="text"/> can be encoded in a character-set-dependent VR.</summary>
    public bool CanEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text)) return true;
        if (_wholeValue is null) return Iso2022Encoder.CanEncode(text, _candidates);
        // The whole-value encodings replace what they cannot represent, so a lossless round trip is the test.
        return _wholeValue.GetString(_wholeValue.GetBytes(text)) == text;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        DefinedTerms.Count == 0 ? "ISO-IR 6 (default repertoire)" : string.Join('\\', DefinedTerms);

    private static CharacterSetTerm? Resolve(string value, int index, bool multiValued, Action<string>? warn)
    {
        if (value.Length == 0)
        {
            // An empty value 1 is the default repertoire (PS3.3 C.12.1.1.2); an empty later value means nothing.
            return index == 0 ? CharacterSetTerm.Default : null;
        }
        if (CharacterSetTerm.TryGetExact(value, out var term)) return term;
        if (CharacterSetTerm.TryGetLoose(value, out term))
        {
            warn?.Invoke($"Specific Character Set (0008,0005) value '{value}' is not a Defined Term; "
                + $"assuming '{term.DefinedTerm}' (PS3.3 C.12.1.1.2).");
            return term;
        }
        if (index == 0)
        {
            string fallback = multiValued ? "ISO 2022 IR 100" : "ISO_IR 100";
            warn?.Invoke($"Specific Character Set (0008,0005) value '{value}' is not a Defined Term of PS3.3 C.12.1.1.2; "
                + $"decoding with {fallback} (ISO 8859-1) instead, so no byte is lost.");
            return CharacterSetTerm.TryGetExact(fallback, out var latin1) ? latin1 : null;
        }
        warn?.Invoke($"Specific Character Set (0008,0005) value {index + 1} '{value}' is not a Defined Term of "
            + "PS3.3 C.12.1.1.2; it is ignored and text in that character set will not decode correctly.");
        return null;
    }

    private static Encoding WholeValueEncoding(int codePage) => codePage == 65001
        ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false)
        : CodeElements.CodePage(codePage);
}
