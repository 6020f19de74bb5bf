using System.Diagnostics;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.Tests.Codecs.PeerTools;

namespace EdgeCancer.Dicom.Tests.Codecs;

/// <summary>
/// Our lossless JPEG decoder against DCMTK's dcmdjpeg, value for value, on pydicom's lossless JPEG files and on
/// files compressed by dcmcjpeg (every predictor, point transform) and gdcmconv.
/// </summary>
[Category("Codecs")]
public sealed class JpegLosslessPeerTests
{
    // The only lossless JPEG image in Debian's pydicom test files (UN_sequence.dcm has that transfer syntax but no image).
    private static readonly string[] PydicomLosslessFiles = ["SC_rgb_jpeg_gdcm.dcm"];

    // Every predictor on these; predictors 1, 4 and 7 on the others (each case costs a few peer processes).
    private static readonly string[] AllPredictorSources = ["CT_small.dcm", "SC_rgb_small_odd.dcm", "synth:jump16"];

    private static readonly string[] SomePredictorSources = ["MR_small.dcm", "synth:random12", "synth:multiframe16", "synth:gray8"];

    private CodecPeer _peer = null!;

    [SetUp]
    public void CreatePeer() => _peer = new CodecPeer();

    [TearDown]
    public void DisposePeer() => _peer.Dispose();

    public static IEnumerable<TestCaseData> DcmcjpegCases()
    {
        foreach (string source in AllPredictorSources.Concat(SomePredictorSources))
        {
            foreach (int predictor in AllPredictorSources.Contains(source) ? [1, 2, 3, 4, 5, 6, 7] : new[] { 1, 4, 7 })
            {
                yield return new TestCaseData(source, predictor, 0).SetName($"Decodes_dcmcjpeg_predictor_{predictor}_of_{source.Replace(':', '_')}_like_dcmdjpeg");
            }
        }

        yield return new TestCaseData("CT_small.dcm", 1, 3).SetName("Decodes_dcmcjpeg_point_transform_3_like_dcmdjpeg");
        yield return new TestCaseData("SC_rgb_small_odd.dcm", 6, 2).SetName("Decodes_dcmcjpeg_color_point_transform_2_like_dcmdjpeg");
        yield return new TestCaseData("synth:random12", 7, 5).SetName("Decodes_dcmcjpeg_12_bit_point_transform_5_like_dcmdjpeg");
    }

    [TestCaseSource(nameof(PydicomLosslessFiles))]
    public void Decodes_pydicom_lossless_JPEG_files_like_dcmdjpeg(string fileName)
    {
        AssertDecodesLikeDcmdjpeg(CodecPeer.TestFile(fileName));
    }

    [TestCaseSource(nameof(DcmcjpegCases))]
    public void Decodes_dcmcjpeg_output_like_dcmdjpeg(string source, int predictor, int pointTransform)
    {
        string compressed = _peer.PathFor("dcmcjpeg.dcm");
        CodecPeer.Run("dcmcjpeg", "+el", "+sv", predictor.ToString(), "+pt", pointTransform.ToString(), Source(source), compressed);
        AssertDecodesLikeDcmdjpeg(compressed);
    }

    [TestCase("CT_small.dcm")]
    [TestCase("SC_rgb_small_odd.dcm")]
    [TestCase("synth:random12")]
    public void Decodes_selection_value_1_transfer_syntax_to_the_original_pixels(string source)
    {
        string original = Source(source);
        string compressed = _peer.PathFor("sv1.dcm");
        CodecPeer.Run("dcmcjpeg", "+e1", original, compressed);
        (PeerImageInfo info, byte[] decoded) = AssertDecodesLikeDcmdjpeg(compressed);
        Assert.That(info.TransferSyntax, Is.EqualTo("1.2.840.10008.1.2.4.70"));
        (_, byte[] pixels) = _peer.ReadNative(original);
        FrameAssert.SameBytes(pixels.AsSpan(0, decoded.Length), decoded, info.ToFrameInfo(), "against the uncompressed original");
    }

    [TestCase("CT_small.dcm")]
    [TestCase("SC_rgb_small_odd.dcm")]
    [TestCase("synth:gray8")]
    public void Decodes_gdcmconv_output_like_dcmdjpeg(string source)
    {
        string compressed = _peer.PathFor("gdcm.dcm");
        CodecPeer.Run("gdcmconv", "--jpeg", Source(source), compressed);
        (PeerImageInfo info, _) = AssertDecodesLikeDcmdjpeg(compressed);
        Assert.That(info.TransferSyntax, Does.StartWith("1.2.840.10008.1.2.4.").And.Not.EqualTo("1.2.840.10008.1.2.4.50"));
    }

    [TestCase("SC_rgb_small_odd.dcm", 8, 2, false)]
    [TestCase("SC_rgb_small_odd.dcm", 8, 0, false)]
    [TestCase("CT_small.dcm", 16, 3, true)]
    [TestCase("MR_small.dcm", 16, 1, false)]
    public void Decodes_restart_intervals_and_non_interleaved_scans_like_dcmdjpeg(string template, int precision, int restartRows, bool interleaved)
    {
        // The stream comes from our test encoder; dcmdjpeg decoding it to the original pixels checks that encoder.
        string original = CodecPeer.TestFile(template);
        (PeerImageInfo info, byte[] pixels) = _peer.ReadNative(original);
        int components = info.SamplesPerPixel;
        int count = info.Rows * info.Columns * components;
        ushort[] samples = new ushort[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = precision == 8 ? pixels[i] : (ushort)(pixels[2 * i] | (pixels[(2 * i) + 1] << 8));
        }

        byte[] stream = TestJpegLosslessEncoder.Encode(
            samples, info.Rows, info.Columns, components, precision, predictor: 6, restartRows: restartRows, interleaved: interleaved);
        string file = _peer.Encapsulate(original, "1.2.840.10008.1.2.4.57", [stream]);
        (_, byte[] decoded) = AssertDecodesLikeDcmdjpeg(file);
        FrameAssert.SameBytes(pixels.AsSpan(0, decoded.Length), decoded, info.ToFrameInfo(), "against the original");
    }

    [TestCase("SC_rgb_jpeg_dcmtk.dcm", "SOF0")]
    [TestCase("JPGExtended.dcm", "SOF1")]
    public void Rejects_lossy_JPEG_frames_from_pydicom_files(string fileName, string frameMarker)
    {
        (PeerImageInfo info, List<byte[]> frames) = _peer.ExtractFrames(CodecPeer.TestFile(fileName));
        PixelFrameInfo frameInfo = info.ToFrameInfo();
        var ex = Assert.Throws<DicomCodecException>(() => JpegLosslessDecoder.Decode(frames[0], frameInfo, new byte[frameInfo.NativeFrameLength]));
        Assert.That(ex!.Message, Does.Contain($"not a lossless JPEG ({frameMarker})"));
    }

    [Test]
    public void Logs_decode_time_of_a_512_by_512_16_bit_CT_frame()
    {
        string compressed = _peer.PathFor("ct512.dcm");
        CodecPeer.Run("dcmcjpeg", "+e1", _peer.Synthesize("ct512"), compressed);
        (PeerImageInfo info, byte[] decoded) = AssertDecodesLikeDcmdjpeg(compressed);
        (_, List<byte[]> frames) = _peer.ExtractFrames(compressed);
        PixelFrameInfo frameInfo = info.ToFrameInfo();
        byte[] destination = new byte[decoded.Length];
        for (int i = 0; i < 20; i++)
        {
            JpegLosslessDecoder.Decode(frames[0], frameInfo, destination); // warm up (tiered JIT)
        }

        const int Runs = 50;
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Runs; i++)
        {
            JpegLosslessDecoder.Decode(frames[0], frameInfo, destination);
        }

        watch.Stop();
        byte[] rle = RleCodec.Encode(decoded, frameInfo);
        var rleWatch = Stopwatch.StartNew();
        for (int i = 0; i < Runs; i++)
        {
            RleCodec.Decode(rle, frameInfo, destination);
        }

        rleWatch.Stop();
        TestContext.Out.WriteLine(
            $"512×512 16-bit CT frame: JPEG lossless SV1 ({frames[0].Length} bytes) {watch.Elapsed.TotalMilliseconds / Runs:F2} ms per decode; " +
            $"RLE ({rle.Length} bytes) {rleWatch.Elapsed.TotalMilliseconds / Runs:F2} ms per decode (Debug={IsDebugBuild()}).");
    }

    private static bool IsDebugBuild()
    {
#if DEBUG
        return true;
#else
        return false;
#endif
    }

    private string Source(string source) =>
        source.StartsWith("synth:", StringComparison.Ordinal) ? _peer.Synthesize(source["synth:".Length..]) : CodecPeer.TestFile(source);

    /// <summary>Decodes every frame with JpegLosslessDecoder and compares with dcmdjpeg's native Pixel Data.</summary>
    private (PeerImageInfo Info, byte[] Decoded) AssertDecodesLikeDcmdjpeg(string jpegFile)
    {
        (PeerImageInfo info, List<byte[]> frames) = _peer.ExtractFrames(jpegFile);
        Assert.That(info.TransferSyntax, Is.EqualTo("1.2.840.10008.1.2.4.57").Or.EqualTo("1.2.840.10008.1.2.4.70"));
        string decodedFile = _peer.PathFor("dcmdjpeg-" + Guid.NewGuid().ToString("N") + ".dcm");

        // Color-by-pixel: our decoder's output convention for color.
        CodecPeer.Run("dcmdjpeg", "+px", jpegFile, decodedFile);
        (_, byte[] expected) = _peer.ReadNative(decodedFile);

        PixelFrameInfo frameInfo = info.ToFrameInfo() with { PlanarConfiguration = 0 };
        int frameLength = (int)frameInfo.NativeFrameLength;
        Assert.That(expected.Length, Is.GreaterThanOrEqualTo(frameLength * frames.Count), "dcmdjpeg output length");
        byte[] decoded = new byte[frameLength * frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            Span<byte> target = decoded.AsSpan(f * frameLength, frameLength);
            JpegLosslessDecoder.Decode(frames[f], frameInfo, target);
            FrameAssert.SameBytes(expected.AsSpan(f * frameLength, frameLength), target, frameInfo, $"{Path.GetFileName(jpegFile)} frame {f + 1}");
        }

        return (info, decoded);
    }
}
