namespace EdgeCancer.Dicom.Tests.Codecs;

/// <summary>
/// A small lossless JPEG encoder (T.81 process 14) for tests only: it makes streams with features the installed
/// peers do not write (restart intervals, non-interleaved scans, long Huffman codes, APPn/COM segments).
/// Its output is checked against DCMTK's dcmdjpeg in <see cref="JpegLosslessPeerTests"/>.
/// </summary>
internal static class TestJpegLosslessEncoder
{
    // A fixed table for categories 0..16 with codes of 2 to 14 bits (so codes longer than the 9-bit lookahead occur).
    private static readonly byte[] Counts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    private static readonly byte[] Symbols = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    /// <param name="samples">Interleaved samples (color-by-pixel), already within <paramref name="precision"/> bits.</param>
    public static byte[] Encode(
        ushort[] samples, int rows, int columns, int components, int precision, int predictor,
        int pointTransform = 0, int restartRows = 0, bool interleaved = true, bool withAppAndComment = false)
    {
        (int[] codes, int[] lengths) = BuildCodes();
        var output = new List<byte> { 0xFF, 0xD8 };
        if (withAppAndComment)
        {
            Segment(output, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0]);
            Segment(output, 0xFE, "made by a test encoder\u00ff"u8.ToArray());
        }

        var dht = new List<byte> { 0x00 };
        dht.AddRange(Counts);
        dht.AddRange(Symbols);
        Segment(output, 0xC4, [.. dht]);
        var sof = new List<byte> { (byte)precision, (byte)(rows >> 8), (byte)rows, (byte)(columns >> 8), (byte)columns, (byte)components };
        for (int c = 0; c < components; c++)
        {
            sof.AddRange([(byte)(c + 1), 0x11, 0]);
        }

        Segment(output, 0xC3, [.. sof]);
        if (restartRows > 0)
        {
            int interval = restartRows * columns;
            Segment(output, 0xDD, [(byte)(interval >> 8), (byte)interval]);
        }

        int[][] scans = interleaved
            ? [Enumerable.Range(0, components).ToArray()]
            : Enumerable.Range(0, components).Select(c => new[] { c }).ToArray();
        foreach (int[] scan in scans)
        {
            var sos = new List<byte> { (byte)scan.Length };
            foreach (int c in scan)
            {
                sos.AddRange([(byte)(c + 1), 0x00]);
            }

            sos.AddRange([(byte)predictor, 0, (byte)pointTransform]);
            Segment(output, 0xDA, [.. sos]);
            EncodeScan(output, samples, rows, columns, components, scan, precision, predictor, pointTransform, restartRows, codes, lengths);
        }

        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    private static void EncodeScan(
        List<byte> output, ushort[] samples, int rows, int columns, int components, int[] scan, int precision,
        int predictor, int pt, int restartRows, int[] codes, int[] lengths)
    {
        var writer = new BitWriter(output);
        int restartIndex = 0;
        for (int y = 0; y < rows; y++)
        {
            bool firstLine = y == 0;
            if (restartRows > 0 && y > 0 && y % restartRows == 0)
            {
                writer.FlushWithOnes();
                output.AddRange([0xFF, (byte)(0xD0 + restartIndex)]);
                restartIndex = (restartIndex + 1) & 7;
                firstLine = true;
            }

            for (int x = 0; x < columns; x++)
            {
                foreach (int c in scan)
                {
                    int Sample(int yy, int xx) => samples[(((yy * columns) + xx) * components) + c] >> pt;
                    int px;
                    if (firstLine)
                    {
                        px = x == 0 ? 1 << (precision - pt - 1) : Sample(y, x - 1);
                    }
                    else if (x == 0)
                    {
                        px = Sample(y - 1, 0);
                    }
                    else
                    {
                        int ra = Sample(y, x - 1), rb = Sample(y - 1, x), rc = Sample(y - 1, x - 1);
                        px = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }

                    // H.1.2.1: the difference is taken modulo 2^16; 32768 has category 16 and no extra bits.
                    int diff = (Sample(y, x) - px) & 0xFFFF;
                    if (diff > 32768)
                    {
                        diff -= 65536;
                    }

                    int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                    if (diff == 32768)
                    {
                        category = 16;
                    }

                    writer.Write(codes[category], lengths[category]);
                    if (category is > 0 and < 16)
                    {
                        writer.Write((diff < 0 ? diff - 1 : diff) & ((1 << category) - 1), category);
                    }
                }
            }
        }

        writer.FlushWithOnes();
    }

    private static (int[] Codes, int[] Lengths) BuildCodes()
    {
        int[] codes = new int[17];
        int[] lengths = new int[17];
        int code = 0;
        int k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < Counts[length - 1]; i++, k++)
            {
                codes[Symbols[k]] = code++;
                lengths[Symbols[k]] = length;
            }

            code <<= 1;
        }

        return (codes, lengths);
    }

    private static void Segment(List<byte> output, byte marker, byte[] body)
    {
        int length = body.Length + 2;
        output.AddRange([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.AddRange(body);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int _accumulator;
        private int _count;

        public void Write(int bits, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _accumulator = (_accumulator << 1) | ((bits >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void FlushWithOnes()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)_accumulator);
            if (_accumulator == 0xFF)
            {
                output.Add(0x00); // F.1.2.3 byte stuffing
            }

            _accumulator = 0;
            _count = 0;
        }
    }
}
