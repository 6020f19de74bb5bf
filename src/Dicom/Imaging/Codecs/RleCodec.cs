using System.Buffers.Binary;

namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// RLE Lossless (transfer syntax 1.2.840.10008.1.2.5), PS3.5 Annex G: one frame at a time.
/// </summary>
/// <remarks>
/// <para>
/// An RLE frame is a 64-byte header (G.5: the number of segments and fifteen segment offsets, each a 32-bit
/// little-endian unsigned integer) followed by byte segments, each PackBits-compressed (G.3.1). Each sample
/// contributes one segment per byte, the most significant byte first (G.2), so a 16-bit RGB frame has six
/// segments: R-high, R-low, G-high, G-low, B-high, B-low.
/// </para>
/// <para>
/// The native side of <see cref="Decode"/> and <see cref="Encode"/> is laid out as DICOM native Pixel Data with
/// the Planar Configuration given in <see cref="PixelFrameInfo.PlanarConfiguration"/>: 0 interleaves the samples
/// (R1G1B1R2…), 1 keeps one plane per sample. This is the convention of DCMTK's <c>dcmdrle</c>, which reads the
/// dataset's Planar Configuration and writes the decoded frame in that configuration (checked against dcmdrle
/// 3.6.7: a file whose (0028,0006) is 1 decodes color-by-plane, 0 decodes color-by-pixel), so the decoded
/// dataset keeps the Planar Configuration it had.
/// </para>
/// </remarks>
public static class RleCodec
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    /// <summary>
    /// Decodes one RLE frame into <paramref name="destination"/>, which must hold at least
    /// <see cref="PixelFrameInfo.NativeFrameLength"/> bytes.
    /// </summary>
    /// <param name="frame">The compressed frame: the concatenated fragments of one frame.</param>
    /// <param name="info">The image description; Bits Allocated must be 8, 16 or 32.</param>
    /// <param name="destination">Receives the native little-endian frame.</param>
    /// <exception cref="DicomCodecException">The frame is corrupt, truncated or does not match <paramref name="info"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public static void Decode(ReadOnlySpan<byte> frame, PixelFrameInfo info, Span<byte> destination)
    {
        ValidateInfo(info);
        if (destination.Length < info.NativeFrameLength)
        {
            throw new ArgumentException(
                $"The destination holds {destination.Length} bytes; the decoded frame needs {info.NativeFrameLength}.",
                nameof(destination));
        }

        if (frame.Length < HeaderLength)
        {
            throw new DicomCodecException(
                $"RLE: the frame is {frame.Length} bytes, shorter than the 64-byte RLE header (PS3.5 G.5).");
        }

        int bytesPerSample = info.BytesPerSample;
        int expectedSegments = info.SamplesPerPixel * bytesPerSample;
        uint segmentCount = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (segmentCount is < 1 or > MaxSegments)
        {
            throw new DicomCodecException(
                $"RLE: the header says {segmentCount} segments; PS3.5 G.5 allows 1 to 15.");
        }

        if (segmentCount != expectedSegments)
        {
            throw new DicomCodecException(
                $"RLE: the header says {segmentCount} segments but {info.SamplesPerPixel} sample(s) of " +
                $"{info.BitsAllocated} bits need {expectedSegments}.");
        }

        Span<int> offsets = stackalloc int[MaxSegments + 1];
        for (int i = 0; i < segmentCount; i++)
        {
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(frame.Slice(4 + (4 * i)));
            if (i == 0 && offset != HeaderLength)
            {
                throw new DicomCodecException(
                    $"RLE: the first segment offset is {offset}; it must be 64, right after the header (PS3.5 G.5).");
            }

            if (offset >= (uint)frame.Length)
            {
                throw new DicomCodecException(
                    $"RLE: segment {i + 1} starts at offset {offset}, at or past the end of the {frame.Length}-byte frame.");
            }

            if (i > 0 && offset <= (uint)offsets[i - 1])
            {
                throw new DicomCodecException(
                    $"RLE: segment {i + 1} offset {offset} is not after segment {i} offset {offsets[i - 1]}; offsets must increase.");
            }

            offsets[i] = (int)offset;
        }

        offsets[(int)segmentCount] = frame.Length;

        int pixelCount = (int)info.PixelCount;
        bool planar = info.SamplesPerPixel > 1 && info.PlanarConfiguration == 1;
        for (int segment = 0; segment < segmentCount; segment++)
        {
            int sample = segment / bytesPerSample;

            // G.2: the first segment of a sample holds its most significant byte; native data is little endian.
            int byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            int start;
            int stride;
            if (planar)
            {
                start = (sample * pixelCount * bytesPerSample) + byteInSample;
                stride = bytesPerSample;
            }
            else
            {
                start = (sample * bytesPerSample) + byteInSample;
                stride = info.SamplesPerPixel * bytesPerSample;
            }

            ReadOnlySpan<byte> data = frame[offsets[segment]..offsets[segment + 1]];
            DecodeSegment(data, segment + 1, destination, start, stride, pixelCount);
        }
    }

    /// <summary>Encodes one native frame as an RLE frame (header and segments).</summary>
    /// <param name="nativeFrame">The native little-endian frame, in the Planar Configuration of <paramref name="info"/>.</param>
    /// <param name="info">The image description; Bits Allocated must be 8, 16 or 32.</param>
    /// <returns>The RLE frame, an even number of bytes, ready to be one fragment.</returns>
    /// <exception cref="DicomCodecException">The description is not encodable with RLE.</exception>
    /// <exception cref="ArgumentException"><paramref name="nativeFrame"/> is shorter than one frame.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> nativeFrame, PixelFrameInfo info)
    {
        ValidateInfo(info);
        if (nativeFrame.Length < info.NativeFrameLength)
        {
            throw new ArgumentException(
                $"The native frame holds {nativeFrame.Length} bytes; the image needs {info.NativeFrameLength}.",
                nameof(nativeFrame));
        }

        int bytesPerSample = info.BytesPerSample;
        int segmentCount = info.SamplesPerPixel * bytesPerSample;
        int rows = info.Rows;
        int columns = info.Columns;
        int pixelCount = (int)info.PixelCount;

        // Worst case per row: every 128 bytes cost one extra header byte; plus one pad byte per segment.
        long worstSegment = ((long)rows * (columns + ((columns + 127) / 128))) + 1;
        long worst = HeaderLength + (worstSegment * segmentCount);
        if (worst > Array.MaxLength)
        {
            throw new DicomCodecException($"RLE: a frame of {info.NativeFrameLength} bytes is too large to encode.");
        }

        byte[] output = new byte[worst];
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)segmentCount);
        byte[] row = new byte[columns];
        bool planar = info.SamplesPerPixel > 1 && info.PlanarConfiguration == 1;
        int position = HeaderLength;
        for (int segment = 0; segment < segmentCount; segment++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(4 + (4 * segment)), (uint)position);
            int sample = segment / bytesPerSample;
            int byteInSample = bytesPerSample - 1 - (segment % bytesPerSample);
            int start = planar
                ? (sample * pixelCount * bytesPerSample) + byteInSample
                : (sample * bytesPerSample) + byteInSample;
            int stride = planar ? bytesPerSample : info.SamplesPerPixel * bytesPerSample;

            for (int y = 0; y < rows; y++)
            {
                int source = start + (y * columns * stride);
                for (int x = 0; x < columns; x++)
                {
                    row[x] = nativeFrame[source + (x * stride)];
                }

                // G.3.1 and G.4: runs do not cross row boundaries.
                position += PackBitsRow(row, output.AsSpan(position));
            }

            // G.3.1: each segment has an even length; the pad byte is zero.
            if ((position & 1) != 0)
            {
                output[position++] = 0;
            }
        }

        Array.Resize(ref output, position);
        return output;
    }

    private static void ValidateInfo(PixelFrameInfo info)
    {
        info.ValidateBasics("RLE");
        if (info.BitsAllocated is not (8 or 16 or 32))
        {
            throw new DicomCodecException(
                $"RLE: Bits Allocated {info.BitsAllocated} is not supported (8, 16 or 32).");
        }

        if (info.SamplesPerPixel * info.BytesPerSample > MaxSegments)
        {
            throw new DicomCodecException(
                $"RLE: {info.SamplesPerPixel} samples of {info.BitsAllocated} bits need more than 15 segments (PS3.5 G.2).");
        }
    }

    /// <summary>
    /// Decodes one PackBits segment (G.3.2) into every <paramref name="stride"/>-th byte of the destination.
    /// Bytes after the segment's output is complete are ignored: they are the even-length pad (G.3.1).
    /// </summary>
    private static void DecodeSegment(
        ReadOnlySpan<byte> data, int segmentNumber, Span<byte> destination, int start, int stride, int count)
    {
        int inPos = 0;
        int produced = 0;
        int outPos = start;
        while (produced < count)
        {
            if (inPos >= data.Length)
            {
                throw new DicomCodecException(
                    $"RLE: segment {segmentNumber} ends after {produced} of {count} bytes; the frame is truncated or corrupt.");
            }

            int header = (sbyte)data[inPos++];
            if (header >= 0)
            {
                // Literal run: header + 1 bytes follow.
                int length = header + 1;
                if (length > count - produced)
                {
                    throw new DicomCodecException(
                        $"RLE: segment {segmentNumber} has a literal run of {length} bytes past the {count} bytes of the frame.");
                }

                if (inPos + length > data.Length)
                {
                    throw new DicomCodecException(
                        $"RLE: segment {segmentNumber} has a literal run of {length} bytes but only {data.Length - inPos} remain; the frame is truncated.");
                }

                ReadOnlySpan<byte> literal = data.Slice(inPos, length);
                if (stride == 1)
                {
                    literal.CopyTo(destination.Slice(outPos));
                    outPos += length;
                }
                else
                {
                    for (int i = 0; i < literal.Length; i++)
                    {
                        destination[outPos] = literal[i];
                        outPos += stride;
                    }
                }

                inPos += length;
                produced += length;
            }
            else if (header != -128)
            {
                // Replicate run: the next byte, 1 - header times.
                int length = 1 - header;
                if (length > count - produced)
                {
                    throw new DicomCodecException(
                        $"RLE: segment {segmentNumber} has a replicate run of {length} bytes past the {count} bytes of the frame.");
                }

                if (inPos >= data.Length)
                {
                    throw new DicomCodecException(
                        $"RLE: segment {segmentNumber} ends inside a replicate run; the frame is truncated.");
                }

                byte value = data[inPos++];
                if (stride == 1)
                {
                    destination.Slice(outPos, length).Fill(value);
                    outPos += length;
                }
                else
                {
                    for (int i = 0; i < length; i++)
                    {
                        destination[outPos] = value;
                        outPos += stride;
                    }
                }

                produced += length;
            }

            // header == -128: no operation (G.3.2).
        }
    }

    /// <summary>
    /// PackBits one row (G.3.1): a run of three or more equal bytes becomes a replicate run, everything else
    /// goes into literal runs; no run is longer than 128 bytes.
    /// </summary>
    private static int PackBitsRow(ReadOnlySpan<byte> row, Span<byte> output)
    {
        int outPos = 0;
        int i = 0;
        int n = row.Length;
        while (i < n)
        {
            int run = 1;
            while (i + run < n && run < 128 && row[i + run] == row[i])
            {
                run++;
            }

            if (run >= 3)
            {
                output[outPos++] = (byte)(1 - run);
                output[outPos++] = row[i];
                i += run;
                continue;
            }

            // Literal run: extend until a run of three equal bytes starts or 128 bytes are taken.
            int literalStart = i;
            int length = 0;
            while (i < n && length < 128)
            {
                if (i + 2 < n && row[i] == row[i + 1] && row[i] == row[i + 2])
                {
                    break;
                }

                i++;
                length++;
            }

            output[outPos++] = (byte)(length - 1);
            row.Slice(literalStart, length).CopyTo(output.Slice(outPos));
            outPos += length;
        }

        return outPos;
    }
}
