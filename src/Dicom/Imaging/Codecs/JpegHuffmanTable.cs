namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// A Huffman decoding table built from a DHT segment (ITU-T T.81 B.2.4.2, Annex C and F.2.2.3), with a
/// lookahead table that resolves codes of up to <see cref="LookaheadBits"/> bits in one step.
/// </summary>
internal sealed class JpegHuffmanTable
{
    /// <summary>Codes up to this length are resolved by <see cref="Lookahead"/>.</summary>
    public const int LookaheadBits = 9;

    /// <summary>Indexed by the next <see cref="LookaheadBits"/> bits: (code length &lt;&lt; 8) | value, or 0 for a longer code.</summary>
    public readonly ushort[] Lookahead = new ushort[1 << LookaheadBits];

    /// <summary>Largest code of each length (1–16), or -1 when there is none (F.2.2.3 MAXCODE).</summary>
    public readonly int[] MaxCode = new int[17];

    /// <summary>Index into <see cref="Values"/> of the smallest code of each length, minus that code (VALPTR − MINCODE).</summary>
    public readonly int[] ValueOffset = new int[17];

    /// <summary>HUFFVAL: the symbols, here SSSS difference categories 0–16.</summary>
    public readonly byte[] Values;

    private JpegHuffmanTable(byte[] values) => Values = values;

    /// <summary>Builds a table from BITS (counts of codes of length 1–16) and HUFFVAL.</summary>
    /// <exception cref="DicomCodecException">The counts do not describe a valid prefix code, or a value is not a lossless category.</exception>
    public static JpegHuffmanTable Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, int tableId)
    {
        var table = new JpegHuffmanTable(values.ToArray());
        foreach (byte v in values)
        {
            // H.1.2.2: lossless difference categories are 0..16.
            if (v > 16)
            {
                throw new DicomCodecException(
                    $"JPEG lossless: Huffman table {tableId} has symbol {v}; lossless difference categories are 0 to 16 (T.81 Table H.2).");
            }
        }

        // C.2: canonical codes, increasing within a length, doubled when the length grows.
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            if (n == 0)
            {
                table.MaxCode[length] = -1;
            }
            else
            {
                table.ValueOffset[length] = k - code;
                code += n;
                if (code > (1 << length))
                {
                    throw new DicomCodecException(
                        $"JPEG lossless: Huffman table {tableId} has more codes of length {length} than fit; the table is corrupt.");
                }

                table.MaxCode[length] = code - 1;
                if (length <= LookaheadBits)
                {
                    int shift = LookaheadBits - length;
                    for (int c = code - n; c < code; c++, k++)
                    {
                        ushort entry = (ushort)((length << 8) | table.Values[k]);
                        table.Lookahead.AsSpan(c << shift, 1 << shift).Fill(entry);
                    }
                }
                else
                {
                    k += n;
                }
            }

            code <<= 1;
        }

        return table;
    }
}
