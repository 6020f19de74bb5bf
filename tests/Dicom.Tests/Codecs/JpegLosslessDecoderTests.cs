using System.Diagnostics;
using EdgeCancer.Dicom.Imaging.Codecs;

namespace EdgeCancer.Dicom.Tests.Codecs;

/// <summary>Stream features and corrupt input, with streams from <see cref="TestJpegLosslessEncoder"/>.</summary>
[Category("Codecs")]
public sealed class JpegLosslessDecoderTests
{
    [TestCase(1, 8, 0, 0, true)]
    [TestCase(3, 8, 0, 0, true)]
    [TestCase(3, 8, 0, 0, false)]
    [TestCase(3, 8, 0, 2, false)]
    [TestCase(4, 12, 0, 0, true)]
    [TestCase(1, 16, 0, 1, true)]
    [TestCase(1, 16, 0, 3, true)]
    [TestCase(3, 16, 2, 5, true)]
    [TestCase(1, 2, 0, 0, true)]
    [TestCase(1, 12, 4, 0, true)]
    public void Decodes_streams_with_every_predictor_to_the_encoded_samples(
        int components, int precision, int pointTransform, int restartRows, bool interleaved)
    {
        const int Rows = 11, Columns = 13;
        ushort[] samples = RandomSamples(Rows * Columns * components, precision, seed: (components * 100) + precision);
        int bitsAllocated = precision <= 8 ? 8 : 16;
        var info = new PixelFrameInfo(Rows, Columns, components, bitsAllocated, precision, false, 0);
        for (int predictor = 1; predictor <= 7; predictor++)
        {
            byte[] stream = TestJpegLosslessEncoder.Encode(
                samples, Rows, Columns, components, precision, predictor, pointTransform, restartRows, interleaved, withAppAndComment: true);
            byte[] decoded = new byte[info.NativeFrameLength];
            JpegLosslessDecoder.Decode(stream, info, decoded);
            FrameAssert.SameBytes(Native(samples, bitsAllocated, pointTransform), decoded, info, $"predictor {predictor}");
        }
    }

    [Test]
    public void Decodes_a_difference_of_32768_that_has_no_extra_bits()
    {
        ushort[] samples = [0, 32768, 0, 32768, 65535, 32767, 32768, 1];
        byte[] stream = TestJpegLosslessEncoder.Encode(samples, 2, 4, 1, 16, 1);
        var info = new PixelFrameInfo(2, 4, 1, 16, 16, false, 0);
        byte[] decoded = new byte[info.NativeFrameLength];
        JpegLosslessDecoder.Decode(stream, info, decoded);
        Assert.That(decoded, Is.EqualTo(Native(samples, 16, 0)));
    }

    [Test]
    public void Writes_8_bit_precision_as_two_bytes_when_bits_allocated_is_16()
    {
        ushort[] samples = [1, 200, 255, 0, 17, 128];
        byte[] stream = TestJpegLosslessEncoder.Encode(samples, 2, 3, 1, 8, 1);
        var info = new PixelFrameInfo(2, 3, 1, 16, 8, false, 0);
        byte[] decoded = new byte[info.NativeFrameLength];
        JpegLosslessDecoder.Decode(stream, info, decoded);
        Assert.That(decoded, Is.EqualTo(new byte[] { 1, 0, 200, 0, 255, 0, 0, 0, 17, 0, 128, 0 }));
    }

    [Test]
    public void Rejects_a_truncated_stream()
    {
        byte[] stream = ValidStream(out PixelFrameInfo info);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream.AsSpan(0, stream.Length / 2).ToArray(), info));
        Assert.That(ex!.Message, Does.Contain("truncated"));
    }

    [Test]
    public void Rejects_a_stream_without_EOI()
    {
        byte[] stream = ValidStream(out PixelFrameInfo info);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream.AsSpan(0, stream.Length - 2).ToArray(), info));
        Assert.That(ex!.Message, Does.Contain("EOI"));
    }

    [Test]
    public void Rejects_a_scan_whose_Huffman_table_is_missing()
    {
        byte[] stream = ValidStream(out PixelFrameInfo info);
        int dht = IndexOfMarker(stream, 0xC4);
        int length = (stream[dht + 2] << 8) | stream[dht + 3];
        byte[] withoutDht = [.. stream.AsSpan(0, dht), .. stream.AsSpan(dht + 2 + length)];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(withoutDht, info));
        Assert.That(ex!.Message, Does.Contain("Huffman table 0").And.Contain("missing"));
    }

    [Test]
    public void Rejects_garbage_where_a_marker_should_be()
    {
        byte[] stream = ValidStream(out PixelFrameInfo info);
        stream[2] = 0x12;
        stream[3] = 0x34;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, info));
        Assert.That(ex!.Message, Does.Contain("expected a marker at byte 2"));
    }

    [Test]
    public void Rejects_data_without_SOI()
    {
        var ex = Assert.Throws<DicomCodecException>(() => Decode([0x00, 0x01, 0x02], new PixelFrameInfo(1, 1, 1, 8, 8, false, 0)));
        Assert.That(ex!.Message, Does.Contain("SOI"));
    }

    [TestCase(0xC0, "SOF0")]
    [TestCase(0xC1, "SOF1")]
    [TestCase(0xC2, "SOF2")]
    [TestCase(0xCB, "SOF11")]
    public void Rejects_other_JPEG_processes_naming_the_frame_marker(int marker, string name)
    {
        byte[] stream = [0xFF, 0xD8, 0xFF, (byte)marker, 0x00, 0x0B, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00, 0xFF, 0xD9];
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, new PixelFrameInfo(16, 16, 1, 8, 8, false, 0)));
        Assert.That(ex!.Message, Does.Contain($"not a lossless JPEG ({name})"));
    }

    [Test]
    public void Rejects_a_wrong_restart_marker()
    {
        ushort[] samples = RandomSamples(8 * 6, 12, seed: 7);
        byte[] stream = TestJpegLosslessEncoder.Encode(samples, 8, 6, 1, 12, 1, restartRows: 2);
        int rst = IndexOfMarker(stream, 0xD0);
        stream[rst + 1] = 0xD3;
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, new PixelFrameInfo(8, 6, 1, 16, 12, false, 0)));
        Assert.That(ex!.Message, Does.Contain("RST0"));
    }

    [Test]
    public void Rejects_a_frame_that_does_not_match_the_dataset()
    {
        byte[] stream = ValidStream(out PixelFrameInfo info);
        var ex = Assert.Throws<DicomCodecException>(() => Decode(stream, info with { Columns = info.Columns + 1 }));
        Assert.That(ex!.Message, Does.Contain("but the dataset says"));
    }

    [Test]
    public void Throws_only_DicomCodecException_on_randomly_corrupted_streams_and_never_hangs()
    {
        byte[] valid = ValidStream(out PixelFrameInfo info);
        var random = new Random(20240601);
        var watch = Stopwatch.StartNew();
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            byte[] corrupt = (byte[])valid.Clone();
            int changes = random.Next(1, 6);
            for (int c = 0; c < changes; c++)
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

    internal static ushort[] RandomSamples(int count, int precision, int seed)
    {
        var random = new Random(seed);
        var samples = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            // Mostly smooth with occasional jumps, so both short and long codes occur.
            samples[i] = (ushort)(random.Next(8) == 0 ? random.Next(1 << precision) : ((i * 37) + random.Next(5)) & ((1 << precision) - 1));
        }

        return samples;
    }

    internal static byte[] Native(ushort[] samples, int bitsAllocated, int pointTransform)
    {
        int bytes = bitsAllocated / 8;
        byte[] native = new byte[samples.Length * bytes];
        for (int i = 0; i < samples.Length; i++)
        {
            int value = (samples[i] >> pointTransform) << pointTransform;
            native[i * bytes] = (byte)value;
            if (bytes == 2)
            {
                native[(i * 2) + 1] = (byte)(value >> 8);
            }
        }

        return native;
    }

    private static byte[] ValidStream(out PixelFrameInfo info)
    {
        info = new PixelFrameInfo(16, 20, 1, 16, 16, false, 0);
        return TestJpegLosslessEncoder.Encode(RandomSamples(16 * 20, 16, seed: 3), 16, 20, 1, 16, 4);
    }

    private static void Decode(byte[] stream, PixelFrameInfo info) =>
        JpegLosslessDecoder.Decode(stream, info, new byte[info.NativeFrameLength]);

    private static int IndexOfMarker(byte[] stream, byte marker)
    {
        for (int i = 0; i + 1 < stream.Length; i++)
        {
            if (stream[i] == 0xFF && stream[i + 1] == marker)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"marker FF{marker:X2} not in the stream");
    }
}
