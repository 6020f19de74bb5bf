namespace EdgeCancer.Dicom.Text;

/// <summary>
/// Decodes bytes under ISO/IEC 2022 code extensions as DICOM restricts them (PS3.5 §6.1.2.5): G0 is invoked in GL
/// (0x21–0x7E), G1 in GR (0xA1–0xFE), escape sequences designate sets, and the initial designations return at every
/// reset point. Also serves single-byte terms without code extensions (escape sequences then are not interpreted).
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Esc = 0x1B;

    /// <summary>
    /// Decodes <paramref name="source"/> into <paramref name="destination"/> (at least as long as the source: every
    /// character consumes at least one byte) and returns the number of characters written.
    /// </summary>
    /// <remarks>
    /// Lenient by design: escape sequences of any known set are honoured even when the set is not declared in
    /// (0008,0005); unknown escape sequences are kept as text; a GR byte with no G1 set designated is read as
    /// ISO 8859-1 so that no byte is lost; an incomplete two-byte code becomes U+FFFD.
    /// </remarks>
    public static int Decode(
        ReadOnlySpan<byte> source, Span<char> destination, CodeElement initialG0, CodeElement? initialG1,
        bool codeExtensions, ResetPoints resetPoints)
    {
        CodeElement g0 = initialG0;
        CodeElement? g1 = initialG1;
        int n = 0;
        int i = 0;
        while (i < source.Length)
        {
            byte b = source[i];
            if (b == Esc && codeExtensions)
            {
                if (CodeElements.TryMatchEscape(source[i..], out var id, out int length))
                {
                    var element = CodeElements.Get(id);
                    if (element.IsG0) g0 = element;
                    else g1 = element;
                    i += length;
                    continue;
                }
                destination[n++] = (char)b;
                i++;
                continue;
            }

            if (b < 0x80)
            {
                if (g0.Width == 2 && b is > 0x20 and < 0x7F)
                {
                    // GL holds a 94x94 set: the delimiters are part of two-byte codes here, so no reset checks.
                    if (i + 1 < source.Length && source[i + 1] is > 0x20 and < 0x7F)
                    {
                        destination[n++] = g0.Decode(b, source[i + 1]);
                        i += 2;
                    }
                    else
                    {
                        destination[n++] = '\uFFFD';
                        i++;
                    }
                    continue;
                }

                destination[n++] = (char)b; // ISO 646 (or JIS X 0201 Romaji, kept as ASCII), SPACE, controls
                i++;
                if (resetPoints.IsResetPoint(b))
                {
                    g0 = initialG0;
                    g1 = initialG1;
                }
                continue;
            }

            if (g1 is null)
            {
                destination[n++] = (char)b; // no G1 designated: ISO 8859-1, never drop the byte
                i++;
            }
            else if (g1.Width == 2)
            {
                if (b is >= 0xA1 and <= 0xFE && i + 1 < source.Length && source[i + 1] is >= 0xA1 and <= 0xFE)
                {
                    destination[n++] = g1.Decode(b, source[i + 1]);
                    i += 2;
                }
                else
                {
                    destination[n++] = '\uFFFD';
                    i++;
                }
            }
            else
            {
                destination[n++] = g1.Decode(b);
                i++;
            }
        }
        return n;
    }
}
