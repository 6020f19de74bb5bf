using System.Buffers.Binary;
using System.Diagnostics;
using EdgeCancer.Dicom.Imaging.Codecs;

namespace EdgeCancer.Dicom.Tests.Codecs;

/// <summary>RLE golden bytes from PS3.5 Annex G, round trips and corrupt input.</summary>
[Category("Codecs")]
public sealed class RleCodecTests
{
    [Test]
    public void Encodes_one_8_bit_row_as_a_replicate_run_and_a_literal_run()
    {
        var info = new PixelFrameInfo(1, 8, 1, 8, 8, false, 0);
        byte[] encoded = RleCodec.Encode([1, 1, 1, 1, 2, 3, 4, 4], info);

        // G.5 header: 1 segment at offset 64; G.3.1: -3 (repeat 4 times) 0x01, then 3 (4 literal bytes), pad to even.
        byte[] expected = new byte[64 + 8];
        expected[0] = 1;
        expected[4] = 64;
        new byte[] { 0xFD, 0x01, 0x03, 0x02, 0x03, 0x04, 0x04, 0x00 }.CopyTo(expected, 64);
        Assert.That(encoded, Is.EqualTo(expected));
    }

    [Test]
    public void Encodes_16_bit_samples_most_significant_byte_segment_first()
    {
        var info = new PixelFrameInfo(1, 2, 1, 16, 16, false, 0);
        byte[] encoded = RleCodec.Encode([0x34, 0x12, 0x78, 0x56], info); // 0x1234, 0x5678 little endian
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(encoded), Is.EqualTo(2));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(4)), Is.EqualTo(64));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(encoded.AsSpan(8)), Is.EqualTo(68));
        Assert.That(encoded.AsSpan(64).ToArray(), Is.EqualTo(new byte[] { 0x01, 0x12, 0x56, 0x00, 0x01, 0x34, 0x78, 0x00 }));
    }

    [Test]
    public void Does_not_let_a_run_cross_a_row_boundary()
    {
        var info = new PixelFrameInfo(2, 4, 1, 8, 8, false, 0);
        byte[] encoded = RleCodec.Encode([9, 9, 9, 9, 9, 9, 9, 9], info);
        Assert.That(encoded.AsSpan(64).ToArray(), Is.EqualTo(new byte[] { 0xFD, 9, 0xFD, 9 }));
    }

    [Test]
    public void Decodes_the_no_operation_header_byte()
    {
        byte[] frame = new byte[64 + 6];
        frame[0] = 1;
        frame[4] = 64;
        new byte[] { 0x80, 0xFE, 0x07, 0x00, 0x05, 0x00 }.CopyTo(frame, 64);
        byte[] decoded = new byte[4];
        RleCodec.Decode(frame, new PixelFrameInfo(1, 4, 1, 8, 8, false, 0), decoded);
        Assert.That(decoded, Is.EqualTo(new byte[] { 7, 7, 7, 5 }));
    }

    [TestCase(1, 8, 0)]
    [TestCase(3, 8, 0)]
    [TestCase(3, 8, 1)]
    [TestCase(1, 16, 0)]
    [TestCase(3, 16, 1)]
    [TestCase(1, 32, 0)]
    [TestCase(3, 32, 0)]
    public void Round_trips_random_frames(int samples, int bitsAllocated, int planar)
    {
        var info = new PixelFrameInfo(37, 300, samples, bitsAllocated, bitsAllocated, false, planar);
        byte[] native = new byte[info.NativeFrameLength];
        var random = new Random(samples * bitsAllocated);
        random.NextBytes(native);
        native.AsSpan(1000, 700).Fill(42); // long runs, also across rows
        AssertRoundTrip(native, info);
    }

    [Test]
    public void Round_trips_a_CT_like_16_bit_frame()
    {
        var info = new PixelFrameInfo(512, 512, 1, 16, 12, true, 0);
        byte[] native = new byte[info.NativeFrameLength];
        var random = new Random(5);
        for (int y = 0; y < 512; y++)
        {
            for (int x = 0; x < 512; x++)
            {
                double r = Math.Sqrt(((x - 256) * (x - 256)) + ((y - 256) * (y - 256)));
                short hu = r < 200 ? (short)(40 + random.Next(-20, 21)) : (short)-1000;
                BinaryPrimitives.WriteInt16LittleEndian(native.AsSpan(((y * 512) + x) * 2), hu);
            }
        }

        byte[] encoded = AssertRoundTrip(native, info);
        Assert.That(encoded.Length, Is.LessThan(native.Length), "air compresses");
    }

    [Test]
    public void Round_trips_an_8_bit_RGB_frame_with_flat_areas()
    {
        var info = new PixelFrameInfo(64, 65, 3, 8, 8, false, 0);
        byte[] native = new byte[info.NativeFrameLength];
        for (int i = 0; i < native.Length; i++)
        {
            int pixel = i / 3;
            native[i] = (byte)((pixel / 65) < 32 ? (i % 3) * 100 : (pixel * 7) + (i % 3));
        }

        AssertRoundTrip(native, info);
    }

    [Test]
    public void Rejects_a_truncated_frame()
    {
        (byte[] frame, PixelFrameInfo info) = ValidFrame();
        var ex = Assert.Throws<DicomCodecException>(() => Decode(frame.AsSpan(0, frame.Length - 40).ToArray(), info));
        Assert.That(ex!.Message, Does.Contain("truncated").Or.Contain("past the end"));
    }

    [Test]
    public void Rejects_a_frame_shorter_than_the_header()
    {
        var ex = Assert.Throws<DicomCodecException>(() => Decode(new byte[10], new PixelFrameInfo(2, 2, 1, 8, 8, false, 0)));
        Assert.That(ex!.Message, Does.Contain("64-byte RLE header"));
    }

    [Test]
    public void Rejects_a_segment_offset_past_the_end()
    {
        (byte[] frame, PixelFrameInfo info) = ValidFrame();
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)frame.Length + 10);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(frame, info));
        Assert.That(ex!.Message, Does.Contain("segment 2 starts at offset").And.Contain("past the end"));
    }

    [Test]
    public void Rejects_offsets_that_do_not_increase()
    {
        (byte[] frame, PixelFrameInfo info) = ValidFrame();
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), 64);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(frame, info));
        Assert.That(ex!.Message, Does.Contain("offsets must increase"));
    }

    [TestCase(0u)]
    [TestCase(16u)]
    [TestCase(3u)]
    public void Rejects_a_wrong_segment_count(uint count)
    {
        (byte[] frame, PixelFrameInfo info) = ValidFrame();
        BinaryPrimitives.WriteUInt32LittleEndian(frame, count);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(frame, info));
        Assert.That(ex!.Message, Does.Contain($"says {count} segments"));
    }

    [Test]
    public void Rejects_a_run_past_the_end_of_the_frame()
    {
        byte[] frame = new byte[64 + 2];
        frame[0] = 1;
        frame[4] = 64;
        frame[64] = 0xF0; // repeat 17 times
        frame[65] = 1;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(frame, new PixelFrameInfo(2, 2, 1, 8, 8, false, 0)));
        Assert.That(ex!.Message, Does.Contain("replicate run of 17 bytes past"));
    }

    [Test]
    public void Throws_only_DicomCodecException_on_randomly_corrupted_frames_and_never_hangs()
    {
        (byte[] valid, PixelFrameInfo info) = ValidFrame();
        var random = new Random(99);
        var watch = Stopwatch.StartNew();
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] corrupt = (byte[])valid.Clone();
            for (int c = random.Next(1, 6); c > 0; c--)
            {
                corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                Array.Resize(ref corrupt, random.Next(corrupt.Length));
            }

            try
            {
                Decode(corrupt, info);
            }
            catch (DicomCodecException)
            {
                rejected++;
            }
        }

        Assert.That(rejected, Is.GreaterThan(0));
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    private static byte[] AssertRoundTrip(byte[] native, PixelFrameInfo info)
    {
        byte[] encoded = RleCodec.Encode(native, info);
        Assert.That(encoded.Length % 2, Is.Zero);
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(encoded), Is.EqualTo(info.SamplesPerPixel * info.BytesPerSample));
        byte[] decoded = new byte[native.Length];
        RleCodec.Decode(encoded, info, decoded);
        FrameAssert.SameBytes(native, decoded, info, "round trip");
        return encoded;
    }

    private static (byte[] Frame, PixelFrameInfo Info) ValidFrame()
    {
        var info = new PixelFrameInfo(10, 12, 1, 16, 16, false, 0);
        byte[] native = new byte[info.NativeFrameLength];
        new Random(1).NextBytes(native);
        return (RleCodec.Encode(native, info), info);
    }

    private static void Decode(byte[] frame, PixelFrameInfo info) =>
        RleCodec.Decode(frame, info, new byte[info.NativeFrameLength]);
}
