using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.Tests.Codecs.PeerTools;

namespace EdgeCancer.Dicom.Tests.Codecs;

/// <summary>
/// Our RLE decoder against DCMTK's dcmdrle, and our RLE encoder through dcmdrle, value for value.
/// Frames are split and native Pixel Data read by pydicom, so these tests do not depend on our reader.
/// </summary>
[Category("Codecs")]
public sealed class RlePeerTests
{
    private const string RleLossless = "1.2.840.10008.1.2.5";

    private static readonly string[] PydicomRleFiles =
    [
        "MR_small_RLE.dcm",
        "SC_rgb_rle.dcm",
        "SC_rgb_rle_2frame.dcm",
        "SC_rgb_rle_16bit.dcm",
        "SC_rgb_rle_16bit_2frame.dcm",
        "SC_rgb_rle_32bit.dcm",
        "SC_rgb_rle_32bit_2frame.dcm",
        "rtdose_rle.dcm",
        "rtdose_rle_1frame.dcm",
    ];

    private static readonly string[] UncompressedSources =
    [
        "CT_small.dcm",
        "MR_small.dcm",
        "SC_rgb_small_odd.dcm",
        "rtdose_1frame.dcm",
        "rtdose.dcm",
        "synth:multiframe16",
        "synth:gray8",
    ];

    private CodecPeer _peer = null!;

    [SetUp]
    public void CreatePeer() => _peer = new CodecPeer();

    [TearDown]
    public void DisposePeer() => _peer.Dispose();

    [TestCaseSource(nameof(PydicomRleFiles))]
    public void Decodes_pydicom_RLE_files_like_dcmdrle(string fileName)
    {
        AssertDecodesLikeDcmdrle(CodecPeer.TestFile(fileName));
    }

    [TestCase("SC_rgb_rle.dcm")]
    [TestCase("SC_rgb_rle_16bit_2frame.dcm")]
    [TestCase("SC_rgb_rle_32bit.dcm")]
    public void Decodes_color_by_plane_like_dcmdrle_when_planar_configuration_is_1(string fileName)
    {
        string copy = _peer.PathFor("planar1-" + fileName);
        File.Copy(CodecPeer.TestFile(fileName), copy);
        CodecPeer.Run("dcmodify", "-nb", "-m", "(0028,0006)=1", copy);
        (PeerImageInfo info, _) = AssertDecodesLikeDcmdrle(copy);
        Assert.That(info.PlanarConfiguration, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(UncompressedSources))]
    public void Decodes_dcmcrle_output_to_the_original_pixels(string source)
    {
        string original = Source(source);
        string compressed = _peer.PathFor("dcmcrle.dcm");
        CodecPeer.Run("dcmcrle", original, compressed);
        (PeerImageInfo info, byte[] decoded) = AssertDecodesLikeDcmdrle(compressed);
        (_, byte[] originalPixels) = _peer.ReadNative(original);
        FrameAssert.SameBytes(Trim(originalPixels, decoded.Length), decoded, info.ToFrameInfo(), "against the uncompressed original");
    }

    [TestCaseSource(nameof(UncompressedSources))]
    public void Encoded_frames_decode_with_dcmdrle_to_the_original_pixels(string source)
    {
        string original = Source(source);
        (PeerImageInfo info, byte[] pixels) = _peer.ReadNative(original);
        PixelFrameInfo frameInfo = info.ToFrameInfo();
        int frameLength = (int)frameInfo.NativeFrameLength;
        var frames = new List<byte[]>();
        for (int f = 0; f < info.NumberOfFrames; f++)
        {
            byte[] encoded = RleCodec.Encode(pixels.AsSpan(f * frameLength, frameLength), frameInfo);
            Assert.That(encoded.Length % 2, Is.Zero, "an RLE frame has even length");
            frames.Add(encoded);
        }

        string rleFile = _peer.Encapsulate(original, RleLossless, frames);
        string decodedFile = _peer.PathFor("dcmdrle-of-ours.dcm");
        CodecPeer.Run("dcmdrle", rleFile, decodedFile);
        (_, byte[] dcmtkPixels) = _peer.ReadNative(decodedFile);
        int total = frameLength * info.NumberOfFrames;
        FrameAssert.SameBytes(pixels.AsSpan(0, total), dcmtkPixels.AsSpan(0, total), frameInfo, $"dcmdrle decode of our RLE of {source}");
    }

    private string Source(string source) =>
        source.StartsWith("synth:", StringComparison.Ordinal) ? _peer.Synthesize(source["synth:".Length..]) : CodecPeer.TestFile(source);

    private static byte[] Trim(byte[] pixelData, int length) => pixelData.AsSpan(0, length).ToArray();

    /// <summary>Decodes every frame with RleCodec and compares with dcmdrle's native Pixel Data; returns our decode.</summary>
    private (PeerImageInfo Info, byte[] Decoded) AssertDecodesLikeDcmdrle(string rleFile)
    {
        (PeerImageInfo info, List<byte[]> frames) = _peer.ExtractFrames(rleFile);
        Assert.That(info.TransferSyntax, Is.EqualTo(RleLossless));
        string decodedFile = _peer.PathFor("dcmdrle-" + Guid.NewGuid().ToString("N") + ".dcm");
        CodecPeer.Run("dcmdrle", rleFile, decodedFile);
        (PeerImageInfo decodedInfo, byte[] expected) = _peer.ReadNative(decodedFile);
        Assert.That(decodedInfo.PlanarConfiguration, Is.EqualTo(info.PlanarConfiguration), "dcmdrle keeps Planar Configuration");

        PixelFrameInfo frameInfo = info.ToFrameInfo();
        int frameLength = (int)frameInfo.NativeFrameLength;
        Assert.That(expected.Length, Is.GreaterThanOrEqualTo(frameLength * frames.Count), "dcmdrle output length");
        byte[] decoded = new byte[frameLength * frames.Count];
        for (int f = 0; f < frames.Count; f++)
        {
            Span<byte> target = decoded.AsSpan(f * frameLength, frameLength);
            RleCodec.Decode(frames[f], frameInfo, target);
            FrameAssert.SameBytes(expected.AsSpan(f * frameLength, frameLength), target, frameInfo, $"{Path.GetFileName(rleFile)} frame {f + 1}");
        }

        return (info, decoded);
    }
}
