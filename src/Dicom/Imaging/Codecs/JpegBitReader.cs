using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// Reads the entropy-coded segment of a JPEG scan bit by bit, most significant bit first, removing the stuffed
/// zero after each 0xFF (T.81 F.1.2.3) and stopping at the next marker.
/// </summary>
/// <remarks>
/// After a marker or the end of input the reader supplies zero bits so a lookahead never reads past the data;
/// <see cref="Overran"/> tells whether any of those invented bits were consumed, which means the stream is truncated.
/// </remarks>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer; // next bit is the most significant
    private int _bitCount;
    private int _inventedBits; // zero bits appended after a marker or the end; they sit at the tail of _buffer

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
        _buffer = 0;
        _bitCount = 0;
        _inventedBits = 0;
    }

    /// <summary>Offset of the first byte not yet loaded; at a marker once the scan data is used up.</summary>
    public readonly int Position => _position;

    /// <summary>True when more bits were consumed than the scan data holds.</summary>
    public readonly bool Overran => _inventedBits > _bitCount;

    /// <summary>Decodes one Huffman-coded difference (T.81 H.1.2.2, F.2.2.1 with Table H.2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeDifference(JpegHuffmanTable table)
    {
        if (_bitCount < 32)
        {
            Fill();
        }

        int length;
        int category;
        ushort entry = table.Lookahead[(int)(_buffer >> (64 - JpegHuffmanTable.LookaheadBits))];
        if (entry != 0)
        {
            length = entry >> 8;
            category = entry & 0xFF;
        }
        else
        {
            (length, category) = DecodeLongCode(table);
        }

        _buffer <<= length;
        _bitCount -= length;
        if (category == 0)
        {
            return 0;
        }

        if (category == 16)
        {
            // H.1.2.2: SSSS = 16 means a difference of 32768 with no additional bits.
            return 32768;
        }

        int bits = (int)(_buffer >> (64 - category));
        _buffer <<= category;
        _bitCount -= category;

        // F.2.2.1 EXTEND: a leading zero bit means a negative difference.
        return bits < (1 << (category - 1)) ? bits - (1 << category) + 1 : bits;
    }

    /// <summary>
    /// Discards the bits left in the current byte and expects the restart marker RSTm with the given m (T.81 F.2.2.4).
    /// </summary>
    public void Restart(int expectedIndex)
    {
        if (Overran)
        {
            throw new DicomCodecException("JPEG lossless: the scan data ends before the restart interval is complete; the stream is truncated.");
        }

        _buffer = 0;
        _bitCount = 0;
        _inventedBits = 0;
        while (_position < _data.Length && _data[_position] == 0xFF && _position + 1 < _data.Length && _data[_position + 1] == 0xFF)
        {
            _position++; // fill bytes before a marker (B.1.1.2)
        }

        if (_position + 1 >= _data.Length || _data[_position] != 0xFF)
        {
            throw new DicomCodecException(
                $"JPEG lossless: expected restart marker RST{expectedIndex} at byte {_position}, found none.");
        }

        byte marker = _data[_position + 1];
        if (marker != 0xD0 + expectedIndex)
        {
            throw new DicomCodecException(
                $"JPEG lossless: expected restart marker RST{expectedIndex} (FFD{expectedIndex:X}) at byte {_position}, found FF{marker:X2}.");
        }

        _position += 2;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly (int Length, int Category) DecodeLongCode(JpegHuffmanTable table)
    {
        for (int length = JpegHuffmanTable.LookaheadBits + 1; length <= 16; length++)
        {
            int code = (int)(_buffer >> (64 - length));
            if (code <= table.MaxCode[length])
            {
                return (length, table.Values[table.ValueOffset[length] + code]);
            }
        }

        throw new DicomCodecException(
            $"JPEG lossless: invalid Huffman code near byte {_position}; the stream is corrupt.");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Fill()
    {
        // Fast path: the next eight bytes hold no 0xFF, so whole bytes can be taken without unstuffing.
        if (_inventedBits == 0 && _position + 8 <= _data.Length)
        {
            ulong word = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(_position));
            ulong inverted = ~word; // a 0xFF byte becomes a zero byte
            if (((inverted - 0x0101010101010101UL) & ~inverted & 0x8080808080808080UL) == 0)
            {
                int take = (64 - _bitCount) >> 3;
                int filled = _bitCount + (take * 8);
                ulong bits = word >> _bitCount;
                if (filled < 64)
                {
                    bits &= ~((1UL << (64 - filled)) - 1);
                }

                _buffer |= bits;
                _bitCount = filled;
                _position += take;
                return;
            }
        }

        while (_bitCount <= 56)
        {
            int value;
            if (_inventedBits > 0 || _position >= _data.Length)
            {
                value = 0;
                _inventedBits += 8;
            }
            else
            {
                value = _data[_position];
                if (value == 0xFF)
                {
                    if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
                    {
                        _position += 2; // stuffed zero (F.1.2.3)
                    }
                    else
                    {
                        // A marker ends the entropy-coded segment; leave the position on it.
                        value = 0;
                        _inventedBits += 8;
                    }
                }
                else
                {
                    _position++;
                }
            }

            _buffer |= (ulong)value << (56 - _bitCount);
            _bitCount += 8;
        }
    }
}
