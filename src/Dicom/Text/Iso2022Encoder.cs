namespace EdgeCancer.Dicom.Text;

/// <summary>
/// Encodes text under ISO/IEC 2022 code extensions as DICOM restricts them (PS3.5 §6.1.2.5): each character is taken
/// from the set already designated when possible, otherwise from the first set of Specific Character Set that has it
/// (emitting its escape sequence); before every reset point and at the end of the value the sets of value 1 are
/// designated again (PS3.5 §6.1.2.5.3). Without code extensions the candidate list holds only the initial sets, so no
/// escape sequence is ever written.
/// </summary>
internal static class Iso2022Encoder
{
    private const byte Replacement = (byte)'?';

    /// <summary>
    /// Encodes <paramref name="text"/>; with an empty <paramref name="destination"/> and
    /// <paramref name="countOnly"/> it only counts. Characters no candidate set holds become '?'.
    /// </summary>
    public static int Encode(
        ReadOnlySpan<char> text, Span<byte> destination, bool countOnly, CodeElement initialG0, CodeElement? initialG1,
        ReadOnlySpan<CodeElement> candidates, ResetPoints resetPoints)
    {
        var sink = new ByteSink(destination, countOnly);
        CodeElement g0 = initialG0;
        CodeElement? g1 = initialG1;

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c < 0x80)
            {
                if (resetPoints.IsResetPoint(c))
                {
                    Restore(ref sink, ref g0, ref g1, initialG0, initialG1);
                }
                else if (g0.Width != 1)
                {
                    // ISO 646 characters (SPACE included) need a single-byte set in G0 again.
                    sink.Write(initialG0.Escape);
                    g0 = initialG0;
                }
                sink.Write((byte)c);
                continue;
            }

            if (TryWrite(ref sink, g0, c) || (g1 is not null && TryWrite(ref sink, g1, c)))
                continue;

            bool written = false;
            foreach (var candidate in candidates)
            {
                if (candidate == g0 || candidate == g1 || !candidate.TryEncode(c, out _)) continue;
                sink.Write(candidate.Escape);
                if (candidate.IsG0) g0 = candidate;
                else g1 = candidate;
                TryWrite(ref sink, candidate, c);
                written = true;
                break;
            }
            if (written) continue;

            if (g0.Width != 1)
            {
                sink.Write(initialG0.Escape);
                g0 = initialG0;
            }
            sink.Write(Replacement);
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        }

        Restore(ref sink, ref g0, ref g1, initialG0, initialG1);
        return sink.Count;
    }

    /// <summary>True when every character of <paramref name="text"/> is in one of the candidate sets.</summary>
    public static bool CanEncode(ReadOnlySpan<char> text, ReadOnlySpan<CodeElement> candidates)
    {
        foreach (char c in text)
        {
            if (c < 0x80) continue;
            bool found = false;
            foreach (var candidate in candidates)
            {
                if (candidate.TryEncode(c, out _))
                {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    private static bool TryWrite(ref ByteSink sink, CodeElement element, char c)
    {
        if (!element.TryEncode(c, out ushort code)) return false;
        if (element.Width == 2) sink.Write((byte)(code >> 8));
        sink.Write((byte)code);
        return true;
    }

    private static void Restore(
        ref ByteSink sink, ref CodeElement g0, ref CodeElement? g1, CodeElement initialG0, CodeElement? initialG1)
    {
        if (g0 != initialG0)
        {
            sink.Write(initialG0.Escape);
            g0 = initialG0;
        }
        if (g1 != initialG1)
        {
            // With no G1 in value 1 there is nothing to designate: readers drop G1 at the reset point anyway
            // (PS3.5 Annex I.2 and K.2 designate G1 again in every component).
            if (initialG1 is not null) sink.Write(initialG1.Escape);
            g1 = initialG1;
        }
    }

    private ref struct ByteSink(Span<byte> destination, bool countOnly)
    {
        private readonly Span<byte> _destination = destination;

        public int Count { get; private set; }

        public void Write(byte b)
        {
            if (!countOnly)
            {
                if (Count >= _destination.Length)
                    throw new ArgumentException("The destination is too small; size it with GetByteCount.", "destination");
                _destination[Count] = b;
            }
            Count++;
        }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            foreach (byte b in bytes) Write(b);
        }
    }
}
