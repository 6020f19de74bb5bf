using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>
/// Real files from Debian's python3-pydicom test folder, compared value for value with pydicom's pixel_array.
/// Files pydicom keeps outside Debian (SC_rgb*.dcm, emri_small.dcm, OBXXXX1A.dcm) are stood in for by DCMTK
/// decompressions of the shipped RLE/JPEG files and by other shipped multi-frame and 8-bit files.
/// </summary>
[Category("Imaging")]
public class PydicomFileTests
{
    private string _temp = "";

    [OneTimeSetUp]
    public void CreateTemp() => Directory.CreateDirectory(_temp = Path.Combine(Path.GetTempPath(), $"pixel-files-{Guid.NewGuid():N}"));

    [OneTimeTearDown]
    public void DeleteTemp() => Directory.Delete(_temp, recursive: true);

    private static long[] AllStoredValues(DicomPixelData pd)
    {
        var all = new long[(long)pd.SampleCount * pd.FrameCount];
        for (int f = 0; f < pd.FrameCount; f++) pd.GetStoredValues(f, all.AsSpan(f * pd.SampleCount, pd.SampleCount));
        return all;
    }

    private static DicomPixelData Open(string path) => DicomPixelData.Create(DicomFile.Open(path));

    [TestCase("CT_small.dcm")]
    [TestCase("MR_small.dcm")]
    [TestCase("MR_small_implicit.dcm")]
    [TestCase("MR_small_bigendian.dcm")]
    [TestCase("MR_small_expb.dcm")]
    [TestCase("MR_small_padded.dcm")]
    [TestCase("rtdose.dcm")]
    [TestCase("rtdose_expb.dcm")]
    [TestCase("rtdose_1frame.dcm")]
    [TestCase("liver_1frame.dcm")]
    [TestCase("liver_expb_1frame.dcm")]
    [TestCase("ExplVR_BigEnd.dcm")]
    [TestCase("SC_rgb_small_odd.dcm")]
    [TestCase("SC_ybr_full_422_uncompressed.dcm")]
    [TestCase("image_dfl.dcm")]
    public void Stored_values_equal_pydicom(string name)
    {
        string path = PydicomPixels.File(name);
        var expected = PydicomPixels.Stored(path);
        var actual = AllStoredValues(Open(path));
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Ct_hounsfield_units_equal_pydicom_modality_lut()
    {
        string path = PydicomPixels.File("CT_small.dcm");
        var image = new DicomImage(DicomFile.Open(path));
        Assert.That(image.ModalityLut.Intercept, Is.EqualTo(-1024));
        Assert.That(image.GetModalityValues(0), Is.EqualTo(PydicomPixels.Modality(path)));
    }

    [Test]
    public void Mr_small_has_its_window_preset_and_renders()
    {
        var image = new DicomImage(DicomFile.Open(PydicomPixels.File("MR_small.dcm")));
        Assert.That(image.WindowPresets, Is.EqualTo(new[] { new VoiWindow(600, 1600) }));
        var stored = image.PixelData.GetStoredValues(0);
        var gray = image.RenderGray8(0);
        for (int i = 0; i < stored.Length; i++)
            Assert.That(gray[i], Is.EqualTo((byte)Math.Floor(new VoiWindow(600, 1600).Apply(stored[i]) + 0.5)), $"pixel {i}");
    }

    [Test]
    public void Ybr_full_422_renders_as_pydicom_converts_it()
    {
        string path = PydicomPixels.File("SC_ybr_full_422_uncompressed.dcm");
        var image = new DicomImage(DicomFile.Open(path));
        var expected = PydicomPixels.Rgb(path);
        var actual = image.RenderRgb24(0);
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        int worst = 0;
        for (int i = 0; i < actual.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        Assert.That(worst, Is.LessThanOrEqualTo(1), "largest difference from pydicom's YBR_FULL → RGB");
    }

    [Test]
    public void Big_endian_rgb_with_planar_configuration_one_renders_like_pydicom()
    {
        string path = PydicomPixels.File("ExplVR_BigEnd.dcm");
        var image = new DicomImage(DicomFile.Open(path));
        Assert.That(image.PixelData.PlanarConfiguration, Is.EqualTo(1));
        Assert.That(image.RenderRgb24(0), Is.EqualTo(PydicomPixels.Rgb(path)));
    }

    // Uncompressed stand-ins for pydicom's SC_rgb.dcm, SC_rgb_2frame.dcm, SC_rgb_16bit, SC_rgb_32bit(_2frame).dcm:
    // DCMTK's dcmdrle output, compared with pydicom's own RLE decoding of the compressed original.
    [TestCase("SC_rgb_rle.dcm")]
    [TestCase("SC_rgb_rle_2frame.dcm")]
    [TestCase("SC_rgb_rle_16bit_2frame.dcm")]
    [TestCase("SC_rgb_rle_32bit.dcm")]
    [TestCase("SC_rgb_rle_32bit_2frame.dcm")]
    [TestCase("rtdose_rle.dcm")]
    public void Dcmdrle_output_equals_pydicom_decoding_of_the_rle_original(string name)
    {
        string original = PydicomPixels.File(name);
        string native = PydicomPixels.Decompress("dcmdrle", original, _temp);
        var pd = Open(native);
        Assert.That(pd.IsEncapsulated, Is.False);
        Assert.That(AllStoredValues(pd), Is.EqualTo(PydicomPixels.Stored(original)));
    }

    [Test]
    public void Rgb_2frame_second_frame_renders_its_own_pixels()
    {
        string native = PydicomPixels.Decompress("dcmdrle", PydicomPixels.File("SC_rgb_rle_2frame.dcm"), _temp);
        var image = new DicomImage(DicomFile.Open(native));
        var expected = PydicomPixels.Stored(native).Select(v => (byte)v).ToArray();
        int frameBytes = image.PixelData.PixelCount * 3;
        Assert.That(image.RenderRgb24(1), Is.EqualTo(expected[frameBytes..]));
        Assert.That(image.RenderRgb24(0), Is.EqualTo(expected[..frameBytes]));
    }

    [Test]
    public void Eight_bit_multi_frame_from_dcmdjpeg_equals_pydicom()
    {
        // GDCM's 4-frame 8-bit JPEG Lossless example, decompressed by DCMTK (stands in for emri_small / OBXXXX1A).
        string source = PeerToolsPath("/usr/share/doc/libgdcm3.0/examples/00191113.dcm", "libgdcm3.0 (its examples)");
        string native = PydicomPixels.Decompress("dcmdjpeg", source, _temp);
        var pd = Open(native);
        Assert.That((pd.FrameCount, pd.BitsAllocated), Is.EqualTo((4, 8)));
        Assert.That(AllStoredValues(pd), Is.EqualTo(PydicomPixels.Stored(native)));
    }

    private static string PeerToolsPath(string path, string package) => Dictionary.PeerTools.RequireFile(path, package);

    [TestCase("MR_small_jp2klossless.dcm", "no decoder for JPEG 2000 Image Compression (Lossless Only) (1.2.840.10008.1.2.4.90)")]
    [TestCase("693_J2KI.dcm", "no decoder for JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)")]
    [TestCase("MR_small_jpeg_ls_lossless.dcm", "no decoder for JPEG-LS Lossless Image Compression (1.2.840.10008.1.2.4.80)")]
    [TestCase("JPGExtended.dcm", "no decoder for JPEG Extended (Process 2 & 4) (1.2.840.10008.1.2.4.51)")]
    public void Compressed_syntax_without_decoder_is_reported_by_name(string name, string message)
    {
        var pd = Open(PydicomPixels.File(name));
        Assert.That(pd.IsEncapsulated, Is.True);
        Assert.That(pd.CanDecode(DicomCodecRegistry.Default), Is.False);
        var ex = Assert.Throws<DicomCodecException>(() => pd.DecodeFrame(0, DicomCodecRegistry.Default));
        Assert.That(ex!.Message, Is.EqualTo(message));
        Assert.That(pd.GetFrameBytes(0).Length, Is.GreaterThan(0), "the compressed frame itself is still readable");
    }

    [Test]
    public void Jpeg_2000_frame_is_the_codestream()
    {
        var frame = Open(PydicomPixels.File("MR_small_jp2klossless.dcm")).GetFrameBytes(0);
        Assert.That(frame[..4], Is.EqualTo(new byte[] { 0xFF, 0x4F, 0xFF, 0x51 }), "SOC and SIZ markers (ISO 15444-1 A.4)");
    }

    [Test]
    public void Rle_frames_of_a_multi_frame_file_start_with_an_rle_header()
    {
        var pd = Open(PydicomPixels.File("rtdose_rle.dcm"));
        Assert.That(pd.FrameCount, Is.EqualTo(15));
        for (int f = 0; f < pd.FrameCount; f++)
        {
            var frame = pd.GetFrameBytes(f);
            // PS3.5 G.5: 4 segments for 32-bit grayscale, the first at offset 64.
            Assert.That(BitConverter.ToUInt32(frame, 0), Is.EqualTo(4u), $"frame {f}");
            Assert.That(BitConverter.ToUInt32(frame, 4), Is.EqualTo(64u), $"frame {f}");
        }
        var ex = Assert.Throws<DicomCodecException>(() => pd.DecodeFrame(0, DicomCodecRegistry.Empty));
        Assert.That(ex!.Message, Is.EqualTo("no decoder for RLE Lossless (1.2.840.10008.1.2.5)"));
    }
}
