using System.Buffers;
using System.Buffers.Binary;

namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// Decodes lossless JPEG (ITU-T T.81 process 14, Annex H: Huffman coded, non-hierarchical) as used by DICOM
/// transfer syntaxes 1.2.840.10008.1.2.4.57 (any predictor 1–7) and 1.2.840.10008.1.2.4.70 (selection value 1).
/// </summary>
/// <remarks>
/// Supports precision 2–16 bits, 1–4 components with sampling factors 1×1, interleaved and non-interleaved
/// scans, point transform and restart intervals that are whole rows. The output is native little-endian
/// Pixel Data: one byte per sample when Bits Allocated is 8, two bytes when it is 16, components interleaved
/// (Planar Configuration 0). Values are written as decoded (shifted left by the point transform); no sign
/// extension is applied, as in a native frame whose unused high bits are zero.
/// </remarks>
public static class JpegLosslessDecoder
{
    private const int MaxComponents = 4;

    /// <summary>
    /// Decodes one lossless JPEG frame into <paramref name="destination"/>, which must hold at least
    /// <see cref="PixelFrameInfo.NativeFrameLength"/> bytes.
    /// </summary>
    /// <param name="frame">The JPEG stream of one frame, from SOI to EOI (the concatenated fragments of the frame).</param>
    /// <param name="info">The image description from the dataset; the JPEG frame header must agree with it.</param>
    /// <param name="destination">Receives the native little-endian frame, color-by-pixel.</param>
    /// <exception cref="DicomCodecException">The stream is corrupt, truncated, not lossless JPEG, or does not match <paramref name="info"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void Decode(ReadOnlySpan<byte> frame, PixelFrameInfo info, Span<byte> destination)
    {
        info.ValidateBasics("JPEG lossless");
        if (info.BitsAllocated is not (8 or 16))
        {
            throw new DicomCodecException(
                $"JPEG lossless: Bits Allocated {info.BitsAllocated} is not supported (8 or 16).");
        }

        if (destination.Length < info.NativeFrameLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; the decoded frame needs {info.NativeFrameLength}.",
                nameof(destination));
        }

        if (frame.Length < 2 || frame[0] != 0xFF || frame[1] != 0xD8)
        {
            throw new DicomCodecException("JPEG lossless: the frame does not start with the SOI marker (FFD8).");
        }

        var state = new DecoderState(info);
        int position = 2;
        while (true)
        {
            byte marker = ReadMarker(frame, ref position);
            switch (marker)
            {
                case 0xD9: // EOI
                    state.CheckComplete();
                    return;
                case 0xC3: // SOF3: lossless, Huffman
                    state.ReadFrameHeader(Segment(frame, ref position, "SOF3"));
                    break;
                case 0xC4: // DHT
                    state.ReadHuffmanTables(Segment(frame, ref position, "DHT"));
                    break;
                case 0xDD: // DRI
                    state.ReadRestartInterval(Segment(frame, ref position, "DRI"));
                    break;
                case 0xDA: // SOS
                    position = state.DecodeScan(frame, Segment(frame, ref position, "SOS"), position, destination);
                    break;
                case 0xDB: // DQT: not used by lossless processes
                case 0xFE: // COM
                case >= 0xE0 and <= 0xEF: // APPn
                    Segment(frame, ref position, $"FF{marker:X2}");
                    break;
                case 0xC0 or 0xC1 or 0xC2 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw new DicomCodecException(
                        $"JPEG lossless: not a lossless JPEG (SOF{marker - 0xC0}); only SOF3 (process 14) is supported.");
                case 0xCC:
                    throw new DicomCodecException("JPEG lossless: arithmetic coding (DAC) is not supported.");
                case 0xDC:
                    throw new DicomCodecException("JPEG lossless: the DNL marker (number of lines after the scan) is not supported.");
                case >= 0xD0 and <= 0xD7:
                    throw new DicomCodecException(
                        $"JPEG lossless: restart marker RST{marker - 0xD0} at byte {position - 2} is outside a scan.");
                case 0xD8:
                    throw new DicomCodecException($"JPEG lossless: a second SOI marker at byte {position - 2}.");
                default:
                    throw new DicomCodecException(
                        $"JPEG lossless: unexpected marker FF{marker:X2} at byte {position - 2}.");
            }
        }
    }

    /// <summary>Reads a marker at <paramref name="position"/>, skipping fill bytes (B.1.1.2).</summary>
    private static byte ReadMarker(ReadOnlySpan<byte> data, ref int position)
    {
        if (position >= data.Length)
        {
            throw new DicomCodecException("JPEG lossless: the stream ends before the EOI marker; it is truncated.");
        }

        if (data[position] != 0xFF)
        {
            throw new DicomCodecException(
                $"JPEG lossless: expected a marker at byte {position}, found 0x{data[position]:X2}.");
        }

        while (position < data.Length && data[position] == 0xFF)
        {
            position++;
        }

        if (position >= data.Length)
        {
            throw new DicomCodecException("JPEG lossless: the stream ends inside a marker; it is truncated.");
        }

        byte marker = data[position++];
        if (marker == 0x00)
        {
            throw new DicomCodecException($"JPEG lossless: a stuffed 0xFF00 at byte {position - 2} is outside a scan.");
        }

        return marker;
    }

    /// <summary>Returns the body of a marker segment (after its 2-byte length) and advances past it.</summary>
    private static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, ref int position, string name)
    {
        if (position + 2 > data.Length)
        {
            throw new DicomCodecException($"JPEG lossless: the {name} segment at byte {position} is truncated.");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(position));
        if (length < 2 || position + length > data.Length)
        {
            throw new DicomCodecException(
                $"JPEG lossless: the {name} segment at byte {position} says {length} bytes but {data.Length - position} remain.");
        }

        ReadOnlySpan<byte> body = data.Slice(position + 2, length - 2);
        position += length;
        return body;
    }

    /// <summary>Frame, table and scan state of one decode.</summary>
    private sealed class DecoderState
    {
        private readonly PixelFrameInfo _info;
        private readonly JpegHuffmanTable?[] _tables = new JpegHuffmanTable?[4];
        private readonly int[] _componentIds = new int[MaxComponents];
        private readonly bool[] _componentDecoded = new bool[MaxComponents];
        private int _componentCount;
        private int _precision;
        private int _restartInterval;

        public DecoderState(PixelFrameInfo info) => _info = info;

        public void ReadFrameHeader(ReadOnlySpan<byte> body)
        {
            if (_componentCount != 0)
            {
                throw new DicomCodecException("JPEG lossless: a second frame header; only one frame per stream is supported.");
            }

            if (body.Length < 6)
            {
                throw new DicomCodecException("JPEG lossless: the SOF3 segment is too short.");
            }

            int precision = body[0];
            int lines = BinaryPrimitives.ReadUInt16BigEndian(body.Slice(1));
            int samplesPerLine = BinaryPrimitives.ReadUInt16BigEndian(body.Slice(3));
            int components = body[5];
            if (precision is < 2 or > 16)
            {
                throw new DicomCodecException($"JPEG lossless: sample precision {precision} is outside 2–16 (T.81 Table B.2).");
            }

            if (components is < 1 or > MaxComponents || body.Length < 6 + (3 * components))
            {
                throw new DicomCodecException($"JPEG lossless: the SOF3 segment has {components} components or is too short for them.");
            }

            if (lines == 0)
            {
                throw new DicomCodecException("JPEG lossless: the frame header gives 0 lines (number of lines defined by DNL is not supported).");
            }

            if (lines != _info.Rows || samplesPerLine != _info.Columns || components != _info.SamplesPerPixel)
            {
                throw new DicomCodecException(
                    $"JPEG lossless: the JPEG frame is {lines} rows × {samplesPerLine} columns × {components} components " +
                    $"but the dataset says {_info.Rows} × {_info.Columns} × {_info.SamplesPerPixel}.");
            }

            if (precision > _info.BitsAllocated)
            {
                throw new DicomCodecException(
                    $"JPEG lossless: sample precision {precision} does not fit Bits Allocated {_info.BitsAllocated}.");
            }

            for (int c = 0; c < components; c++)
            {
                int id = body[6 + (3 * c)];
                int sampling = body[7 + (3 * c)];
                if (sampling != 0x11)
                {
                    throw new DicomCodecException(
                        $"JPEG lossless: component {id} has sampling factors {sampling >> 4}×{sampling & 15}; only 1×1 is supported.");
                }

                for (int other = 0; other < c; other++)
                {
                    if (_componentIds[other] == id)
                    {
                        throw new DicomCodecException($"JPEG lossless: component identifier {id} appears twice in SOF3.");
                    }
                }

                _componentIds[c] = id;
            }

            _precision = precision;
            _componentCount = components;
        }

        public void ReadHuffmanTables(ReadOnlySpan<byte> body)
        {
            // B.2.4.2: one or more tables, each Tc/Th, 16 counts and the values.
            while (body.Length > 0)
            {
                if (body.Length < 17)
                {
                    throw new DicomCodecException("JPEG lossless: the DHT segment is truncated.");
                }

                int tableClass = body[0] >> 4;
                int id = body[0] & 15;
                if (tableClass > 1 || id > 3)
                {
                    throw new DicomCodecException($"JPEG lossless: DHT table class {tableClass} id {id} is not valid.");
                }

                ReadOnlySpan<byte> counts = body.Slice(1, 16);
                int total = 0;
                foreach (byte count in counts)
                {
                    total += count;
                }

                if (total > 256 || body.Length < 17 + total)
                {
                    throw new DicomCodecException($"JPEG lossless: the DHT segment for table {id} is truncated or has {total} codes.");
                }

                if (tableClass == 0)
                {
                    _tables[id] = JpegHuffmanTable.Build(counts, body.Slice(17, total), id);
                }

                body = body.Slice(17 + total);
            }
        }

        public void ReadRestartInterval(ReadOnlySpan<byte> body)
        {
            if (body.Length != 2)
            {
                throw new DicomCodecException("JPEG lossless: the DRI segment must have 2 bytes.");
            }

            _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(body);
        }

        public void CheckComplete()
        {
            if (_componentCount == 0)
            {
                throw new DicomCodecException("JPEG lossless: EOI before any frame header (SOF3).");
            }

            for (int c = 0; c < _componentCount; c++)
            {
                if (!_componentDecoded[c])
                {
                    throw new DicomCodecException($"JPEG lossless: component {_componentIds[c]} is not in any scan before EOI.");
                }
            }
        }

        /// <summary>Decodes one scan; returns the position of the marker after the scan data.</summary>
        public int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int scanStart, Span<byte> destination)
        {
            if (_componentCount == 0)
            {
                throw new DicomCodecException("JPEG lossless: SOS before the frame header; the stream is not a lossless JPEG (no SOF3).");
            }

            // B.2.3 scan header.
            if (header.Length < 1)
            {
                throw new DicomCodecException("JPEG lossless: the SOS segment is empty.");
            }

            int scanComponents = header[0];
            if (scanComponents < 1 || scanComponents > _componentCount || header.Length != 4 + (2 * scanComponents))
            {
                throw new DicomCodecException(
                    $"JPEG lossless: the SOS segment has {scanComponents} components or a wrong length for them.");
            }

            Span<int> frameIndex = stackalloc int[MaxComponents];
            var tables = new JpegHuffmanTable[scanComponents];
            for (int s = 0; s < scanComponents; s++)
            {
                int id = header[1 + (2 * s)];
                int tableId = header[2 + (2 * s)] >> 4;
                int index = Array.IndexOf(_componentIds, id, 0, _componentCount);
                if (index < 0)
                {
                    throw new DicomCodecException($"JPEG lossless: the scan names component {id}, which is not in the frame.");
                }

                if (_componentDecoded[index] || frameIndex[..s].Contains(index))
                {
                    throw new DicomCodecException($"JPEG lossless: component {id} is in more than one scan.");
                }

                frameIndex[s] = index;
                if (tableId > 3)
                {
                    throw new DicomCodecException($"JPEG lossless: the scan names Huffman table {tableId}; valid are 0–3.");
                }

                tables[s] = _tables[tableId] ?? throw new DicomCodecException(
                    $"JPEG lossless: Huffman table {tableId} for component {id} is missing (no DHT defines it before SOS).");
            }

            int predictor = header[1 + (2 * scanComponents)];
            int pointTransform = header[3 + (2 * scanComponents)] & 15;
            int approximationHigh = header[3 + (2 * scanComponents)] >> 4;
            if (predictor is < 1 or > 7)
            {
                throw new DicomCodecException($"JPEG lossless: predictor (selection value) {predictor} is outside 1–7 (T.81 Table H.1).");
            }

            if (approximationHigh != 0 || pointTransform >= _precision)
            {
                throw new DicomCodecException(
                    $"JPEG lossless: point transform {pointTransform} (Ah {approximationHigh}) is not valid for precision {_precision}.");
            }

            int columns = _info.Columns;
            int rows = _info.Rows;
            int rowsPerInterval = 0;
            if (_restartInterval != 0)
            {
                // One MCU is one sample of each scan component (H.1.1 with 1×1 sampling).
                if (_restartInterval % columns != 0)
                {
                    throw new DicomCodecException(
                        $"JPEG lossless: restart interval {_restartInterval} is not a whole number of rows of {columns}; not supported.");
                }

                rowsPerInterval = _restartInterval / columns;
            }

            int[] rented = ArrayPool<int>.Shared.Rent(2 * scanComponents * columns);
            try
            {
                var reader = new JpegBitReader(data, scanStart);
                var scan = new ScanContext(
                    tables, frameIndex[..scanComponents].ToArray(), columns, _componentCount, predictor,
                    pointTransform, 1 << (_precision - pointTransform - 1), _info.BytesPerSample);
                Span<int> lines = rented.AsSpan(0, 2 * scanComponents * columns);
                int restartIndex = 0;
                bool firstLine = true;
                for (int y = 0; y < rows; y++)
                {
                    if (rowsPerInterval != 0 && y != 0 && y % rowsPerInterval == 0)
                    {
                        reader.Restart(restartIndex);
                        restartIndex = (restartIndex + 1) & 7;
                        firstLine = true;
                    }

                    int current = (y & 1) * scanComponents * columns;
                    int previous = ((y + 1) & 1) * scanComponents * columns;
                    Span<int> currentLine = lines.Slice(current, scanComponents * columns);
                    ReadOnlySpan<int> previousLine = lines.Slice(previous, scanComponents * columns);
                    if (scanComponents == 1)
                    {
                        scan.DecodeSingleComponentRow(ref reader, currentLine, previousLine, firstLine);
                    }
                    else
                    {
                        scan.DecodeInterleavedRow(ref reader, currentLine, previousLine, firstLine);
                    }

                    if (reader.Overran)
                    {
                        throw new DicomCodecException(
                            $"JPEG lossless: the scan data ends in row {y + 1} of {rows}; the stream is truncated.");
                    }

                    scan.WriteRow(currentLine, destination, y);
                    firstLine = false;
                }

                foreach (int index in scan.FrameIndex)
                {
                    _componentDecoded[index] = true;
                }

                return FindNextMarker(data, reader.Position);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }

        /// <summary>Skips any bytes left in the scan data (padding) up to the next marker that is not RSTn.</summary>
        private static int FindNextMarker(ReadOnlySpan<byte> data, int position)
        {
            while (position + 1 < data.Length)
            {
                if (data[position] == 0xFF && data[position + 1] != 0x00 && data[position + 1] != 0xFF
                    && data[position + 1] is not (>= 0xD0 and <= 0xD7))
                {
                    return position;
                }

                position++;
            }

            throw new DicomCodecException("JPEG lossless: the stream ends after the scan data without EOI; it is truncated.");
        }
    }

    /// <summary>Per-scan constants and the row decoders (H.1.2.1 prediction, H.2 reconstruction).</summary>
    private readonly struct ScanContext(
        JpegHuffmanTable[] tables,
        int[] frameIndex,
        int columns,
        int frameComponents,
        int predictor,
        int pointTransform,
        int initialPrediction,
        int bytesPerSample)
    {
        public int[] FrameIndex { get; } = frameIndex;

        public void DecodeSingleComponentRow(ref JpegBitReader reader, Span<int> line, ReadOnlySpan<int> above, bool firstLine)
        {
            JpegHuffmanTable table = tables[0];
            if (firstLine)
            {
                // H.1.2.1: the first line uses predictor 1, its first sample 2^(P−Pt−1).
                int left = (initialPrediction + reader.DecodeDifference(table)) & 0xFFFF;
                line[0] = left;
                for (int x = 1; x < line.Length; x++)
                {
                    left = (left + reader.DecodeDifference(table)) & 0xFFFF;
                    line[x] = left;
                }

                return;
            }

            // H.1.2.1: the first sample of each later line is predicted from the sample above.
            int ra = (above[0] + reader.DecodeDifference(table)) & 0xFFFF;
            line[0] = ra;
            switch (predictor)
            {
                case 1:
                    for (int x = 1; x < line.Length; x++)
                    {
                        ra = (ra + reader.DecodeDifference(table)) & 0xFFFF;
                        line[x] = ra;
                    }

                    break;
                case 2:
                    for (int x = 1; x < line.Length; x++)
                    {
                        line[x] = (above[x] + reader.DecodeDifference(table)) & 0xFFFF;
                    }

                    break;
                default:
                    for (int x = 1; x < line.Length; x++)
                    {
                        ra = (Predict(predictor, ra, above[x], above[x - 1]) + reader.DecodeDifference(table)) & 0xFFFF;
                        line[x] = ra;
                    }

                    break;
            }
        }

        public void DecodeInterleavedRow(ref JpegBitReader reader, Span<int> line, ReadOnlySpan<int> above, bool firstLine)
        {
            // Samples of the scan's components are interleaved in the line buffers as they are in the MCUs.
            int n = tables.Length;
            for (int x = 0; x < columns; x++)
            {
                for (int c = 0; c < n; c++)
                {
                    int i = (x * n) + c;
                    int prediction;
                    if (firstLine)
                    {
                        prediction = x == 0 ? initialPrediction : line[i - n];
                    }
                    else if (x == 0)
                    {
                        prediction = above[i];
                    }
                    else
                    {
                        prediction = Predict(predictor, line[i - n], above[i], above[i - n]);
                    }

                    line[i] = (prediction + reader.DecodeDifference(tables[c])) & 0xFFFF;
                }
            }
        }

        /// <summary>Writes one decoded line into the native frame: color-by-pixel, little endian, shifted by Pt.</summary>
        public void WriteRow(ReadOnlySpan<int> line, Span<byte> destination, int y)
        {
            int n = tables.Length;
            int pixelStride = frameComponents * bytesPerSample;
            int rowStart = y * columns * pixelStride;
            for (int c = 0; c < n; c++)
            {
                int offset = rowStart + (FrameIndex[c] * bytesPerSample);
                if (bytesPerSample == 1)
                {
                    for (int x = 0; x < columns; x++, offset += pixelStride)
                    {
                        destination[offset] = (byte)(line[(x * n) + c] << pointTransform);
                    }
                }
                else
                {
                    for (int x = 0; x < columns; x++, offset += pixelStride)
                    {
                        int value = line[(x * n) + c] << pointTransform;
                        destination[offset] = (byte)value;
                        destination[offset + 1] = (byte)(value >> 8);
                    }
                }
            }
        }

        /// <summary>T.81 Table H.1 predictors 3–7 (1 and 2 are handled by the callers but accepted here).</summary>
        private static int Predict(int predictor, int ra, int rb, int rc) => predictor switch
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
}
