using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Tests.Codecs.PeerTools;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>
/// Compressed files decoded through the pixel layer with <see cref="DicomCodecRegistry.Default"/> against DCMTK's
/// decompression of the same file (dcmdrle, dcmdjpeg) read back by our own reader: same frame bytes and same
/// stored values, frame by frame.
/// </summary>
[Category("Imaging")]
public sealed class DecodedFrameTests
{
    private const string JpegLossless = "1.2.840.10008.1.2.4.57";
    private const string JpegLosslessSV1 = "1.2.840.10008.1.2.4.70";

    private CodecPeer _peer = null!;

    [SetUp]
    public void CreatePeer() => _peer = new CodecPeer();

    [TearDown]
    public void DisposePeer() => _peer.Dispose();

    private static DicomPixelData Open(string path) => DicomPixelData.Create(DicomFile.Open(path));

    [TestCase("MR_small_RLE.dcm")]
    [TestCase("SC_rgb_rle.dcm")]
    [TestCase("SC_rgb_rle_2frame.dcm")]
    [TestCase("SC_rgb_rle_16bit.dcm")]
    [TestCase("SC_rgb_rle_16bit_2frame.dcm")]
    [TestCase("SC_rgb_rle_32bit.dcm")]
    [TestCase("SC_rgb_rle_32bit_2frame.dcm")]
    [TestCase("rtdose_rle.dcm")]
    [TestCase("rtdose_rle_1frame.dcm")]
    public void Pydicom_RLE_file_decodes_to_dcmdrle_stored_values(string name)
    {
        string rle = CodecPeer.TestFile(name);
        string native = _peer.PathFor("dcmdrle.dcm");
        CodecPeer.Run("dcmdrle", rle, native);
        AssertSameFrames(Open(rle), Open(native), isRle: true);
    }

    [TestCase("+el", JpegLossless)]
    [TestCase("+e1", JpegLosslessSV1)]
    public void Dcmcjpeg_lossless_CT_small_decodes_to_dcmdjpeg_and_original_stored_values(string mode, string syntax)
    {
        string original = CodecPeer.TestFile("CT_small.dcm");
        string jpeg = _peer.PathFor("ct.jpeg.dcm");
        CodecPeer.Run("dcmcjpeg", mode, original, jpeg);
        string native = _peer.PathFor("ct.dcmdjpeg.dcm");
        CodecPeer.Run("dcmdjpeg", jpeg, native);

        var compressed = Open(jpeg);
        Assert.That(compressed.TransferSyntax.Uid.Value, Is.EqualTo(syntax));
        Assert.That((compressed.BitsStored, compressed.IsSigned), Is.EqualTo((16, true)), "CT_small is signed 16-bit");
        AssertSameFrames(compressed, Open(native), isRle: false);
        Assert.That(compressed.GetStoredValues(0), Is.EqualTo(Open(original).GetStoredValues(0)), "lossless: the original's stored values");
    }

    [TestCase("SC_rgb_jpeg_gdcm.dcm")]
    public void Pydicom_lossless_JPEG_file_decodes_to_dcmdjpeg_stored_values(string name)
    {
        string jpeg = CodecPeer.TestFile(name);
        string native = _peer.PathFor("dcmdjpeg.dcm");
        CodecPeer.Run("dcmdjpeg", "+px", jpeg, native);
        AssertSameFrames(Open(jpeg), Open(native), isRle: false);
    }

    [Test]
    public void Jpeg_lossless_YBR_FULL_components_are_returned_as_encoded_and_rendered_through_the_photometric_interpretation()
    {
        // A lossless stream whose dataset says YBR_FULL: the decoder must not convert (PS3.5 8.2.1: Photometric
        // Interpretation describes the compressed components); dcmdjpeg +cn (never convert) is the reference.
        string jpeg = _peer.PathFor("ybr.jpeg.dcm");
        CodecPeer.Run("dcmcjpeg", "+el", CodecPeer.TestFile("SC_rgb_small_odd.dcm"), jpeg);
        CodecPeer.Run("dcmodify", "-nb", "-m", "(0028,0004)=YBR_FULL", jpeg);
        string native = _peer.PathFor("ybr.native.dcm");
        CodecPeer.Run("dcmdjpeg", "+cn", "+px", jpeg, native);

        var compressed = new DicomImage(DicomFile.Open(jpeg));
        var reference = new DicomImage(DicomFile.Open(native));
        Assert.That(reference.PixelData.PhotometricInterpretation, Is.EqualTo(Photometric.YbrFull), "dcmdjpeg +cn keeps YBR_FULL");
        Assert.That(compressed.PixelData.PhotometricInterpretation, Is.EqualTo(Photometric.YbrFull));
        AssertSameFrames(compressed.PixelData, reference.PixelData, isRle: false);
        byte[] rendered = compressed.RenderRgb24(0);
        Assert.That(rendered, Is.EqualTo(reference.RenderRgb24(0)), "rendered once through YBR_FULL → RGB");
        Assert.That(rendered, Is.Not.EqualTo(compressed.PixelData.DecodeFrame(0, DicomCodecRegistry.Default)), "the conversion is applied at render time");
    }

    [Test]
    public void Jpeg_lossless_frame_follows_a_planar_configuration_of_1_like_dcmdjpeg_color_by_plane()
    {
        // PS3.5 8.2.1 wants 0 for JPEG; older writers put 1. The decoded frame then follows the dataset.
        string original = CodecPeer.TestFile("SC_rgb_small_odd.dcm");
        string jpeg = _peer.PathFor("planar.jpeg.dcm");
        CodecPeer.Run("dcmcjpeg", "+el", original, jpeg);
        CodecPeer.Run("dcmodify", "-nb", "-m", "(0028,0006)=1", jpeg);
        string native = _peer.PathFor("planar.native.dcm");
        CodecPeer.Run("dcmdjpeg", "+pl", jpeg, native);

        var compressed = Open(jpeg);
        Assert.That(compressed.PlanarConfiguration, Is.EqualTo(1));
        Assert.That(Open(native).PlanarConfiguration, Is.EqualTo(1), "dcmdjpeg +pl writes color-by-plane");
        AssertSameFrames(compressed, Open(native), isRle: false);
        Assert.That(compressed.GetStoredValues(0), Is.EqualTo(Open(original).GetStoredValues(0)));
    }

    private static void AssertSameFrames(DicomPixelData compressed, DicomPixelData native, bool isRle)
    {
        Assert.That(compressed.IsEncapsulated, Is.True);
        Assert.That(native.IsEncapsulated, Is.False);
        Assert.That(compressed.CanDecode(DicomCodecRegistry.Default), Is.True);
        Assert.That(compressed.TransferSyntax == DicomTransferSyntax.RLELossless, Is.EqualTo(isRle));
        Assert.That(compressed.FrameCount, Is.EqualTo(native.FrameCount));
        Assert.That(compressed.DecodedFrameSize, Is.EqualTo(native.FrameSize));
        var expected = new long[native.SampleCount];
        var actual = new long[compressed.SampleCount];
        for (int f = 0; f < native.FrameCount; f++)
        {
            Assert.That(compressed.DecodeFrame(f, DicomCodecRegistry.Default), Is.EqualTo(native.GetFrameBytes(f)), $"frame {f} bytes");
            native.GetStoredValues(f, expected);
            compressed.GetStoredValues(f, actual);
            Assert.That(actual, Is.EqualTo(expected), $"frame {f} stored values");
        }
    }
}
