using System.Buffers.Binary;
using System.Numerics;

namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// Turns the bytes of a native frame into stored values (PS3.5 8.1.1, PS3.3 C.7.6.3.1): each sample's Bits Stored
/// bits end at High Bit, the bits above are not part of the value (they may hold overlays or garbage) and are
/// masked off; with Pixel Representation 1 the value is two's complement and is sign-extended from its top bit.
/// </summary>
internal static class PixelSampleReader
{
    internal readonly record struct SampleLayout(
        int PixelCount, int SamplesPerPixel, int BitsAllocated, int BitsStored, int HighBit, bool IsSigned,
        int PlanarConfiguration, bool ChromaSubsampled)
    {
        public int SampleCount => PixelCount * SamplesPerPixel;
    }

    /// <summary>Reads all samples color-by-pixel into <paramref name="destination"/> (length = SampleCount).</summary>
    public static void Read<T>(ReadOnlySpan<byte> frame, SampleLayout layout, Span<T> destination) where T : struct, IBinaryInteger<T>
    {
        int shift = layout.HighBit + 1 - layout.BitsStored;
        int bitsStored = layout.BitsStored;
        bool signed = layout.IsSigned;

        if (layout.ChromaSubsampled)
        {
            // PS3.3 C.7.6.3.1.2 YBR_FULL_422: per two pixels Y1 Y2 Cb Cr; both pixels take the pair's Cb and Cr.
            int pairs = layout.PixelCount / 2;
            for (int p = 0; p < pairs; p++)
            {
                T y1 = Sample<T>(frame, p * 4, layout.BitsAllocated, shift, bitsStored, signed);
                T y2 = Sample<T>(frame, p * 4 + 1, layout.BitsAllocated, shift, bitsStored, signed);
                T cb = Sample<T>(frame, p * 4 + 2, layout.BitsAllocated, shift, bitsStored, signed);
                T cr = Sample<T>(frame, p * 4 + 3, layout.BitsAllocated, shift, bitsStored, signed);
                int o = p * 6;
                destination[o] = y1; destination[o + 1] = cb; destination[o + 2] = cr;
                destination[o + 3] = y2; destination[o + 4] = cb; destination[o + 5] = cr;
            }
            return;
        }

        int samples = layout.SamplesPerPixel;
        if (samples == 1 || layout.PlanarConfiguration == 0)
        {
            int count = layout.SampleCount;
            switch (layout.BitsAllocated)
            {
                case 8:
                    for (int i = 0; i < count; i++) destination[i] = T.CreateTruncating(Extend(frame[i], shift, bitsStored, signed));
                    return;
                case 16:
                    for (int i = 0; i < count; i++)
                        destination[i] = T.CreateTruncating(Extend(BinaryPrimitives.ReadUInt16LittleEndian(frame[(i * 2)..]), shift, bitsStored, signed));
                    return;
                default:
                    for (int i = 0; i < count; i++) destination[i] = Sample<T>(frame, i, layout.BitsAllocated, shift, bitsStored, signed);
                    return;
            }
        }

        // Planar configuration 1 (PS3.3 C.7.6.3.1.3): all first samples, then all second ones; interleave them.
        int pixels = layout.PixelCount;
        for (int s = 0; s < samples; s++)
            for (int p = 0; p < pixels; p++)
                destination[p * samples + s] = Sample<T>(frame, s * pixels + p, layout.BitsAllocated, shift, bitsStored, signed);
    }

    /// <summary>Sample number <paramref name="index"/> of the frame as a stored value.</summary>
    private static T Sample<T>(ReadOnlySpan<byte> frame, int index, int bitsAllocated, int shift, int bitsStored, bool signed) where T : struct, IBinaryInteger<T>
    {
        switch (bitsAllocated)
        {
            case 1:
                // PS3.5 D.2: the first pixel is the least significant bit of the first byte.
                return T.CreateTruncating((frame[index >> 3] >> (index & 7)) & 1);
            case 8:
                return T.CreateTruncating(Extend(frame[index], shift, bitsStored, signed));
            case 16:
                return T.CreateTruncating(Extend(BinaryPrimitives.ReadUInt16LittleEndian(frame[(index * 2)..]), shift, bitsStored, signed));
            default:
                uint raw = BinaryPrimitives.ReadUInt32LittleEndian(frame[(index * 4)..]) >> shift;
                if (signed) return T.CreateTruncating(SignExtend(raw, bitsStored));
                uint value = bitsStored == 32 ? raw : raw & ((1u << bitsStored) - 1);
                try { return T.CreateChecked(value); }
                catch (OverflowException ex)
                {
                    throw new DicomDataException($"stored value {value} (Bits Stored {bitsStored}, unsigned) does not fit {typeof(T).Name}; read 32-bit unsigned data as long.", ex);
                }
        }
    }

    /// <summary>Masks a sample to Bits Stored bits below High Bit and sign-extends it when signed (Bits Stored ≤ 16).</summary>
    private static int Extend(uint raw, int shift, int bitsStored, bool signed)
    {
        raw >>= shift;
        return signed ? SignExtend(raw, bitsStored) : (int)(raw & ((1u << bitsStored) - 1));
    }

    /// <summary>Two's complement value of the low <paramref name="bits"/> bits: move the sign bit to bit 31, shift back arithmetically.</summary>
    private static int SignExtend(uint raw, int bits) => (int)(raw << (32 - bits)) >> (32 - bits);
}
