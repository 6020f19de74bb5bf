using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.Imaging.SyntheticImages;

namespace EdgeCancer.Dicom.Tests.Imaging;

[Category("Imaging")]
public class PixelDataTests
{
    [Test]
    public void Twelve_bits_stored_in_sixteen_are_masked_and_sign_extended()
    {
        // High nibble carries garbage (overlay bits etc.); only bits 0–11 are the value, bit 11 is the sign (PS3.5 8.1.1).
        var ds = Create(1, 6, 16, 12, 1, "MONOCHROME2", Words(0x0800, 0x0FFF, 0xF800, 0xAFFF, 0x57FF, 0x9001));
        Assert.That(Pixels(ds).GetStoredValues(0), Is.EqualTo(new[] { -2048, -1, -2048, -1, 2047, 1 }));
    }

    [Test]
    public void Twelve_bits_stored_unsigned_are_masked()
    {
        var ds = Create(1, 3, 16, 12, 0, "MONOCHROME2", Words(0x0800, 0xFFFF, 0xA123));
        Assert.That(Pixels(ds).GetStoredValues(0), Is.EqualTo(new[] { 2048, 4095, 0x123 }));
    }

    [Test]
    public void High_bit_above_bits_stored_minus_one_shifts_the_value_down()
    {
        // Bits Stored 12 with High Bit 13: the value occupies bits 2–13.
        var ds = Create(1, 2, 16, 12, 1, "MONOCHROME2", Words(0x2000 | 0x0003, 0x1FFC), highBit: 13);
        Assert.That(Pixels(ds).GetStoredValues(0), Is.EqualTo(new[] { -2048, 2047 }));
    }

    [Test]
    public void Sixteen_bits_stored_signed_use_the_full_word()
    {
        var ds = Create(1, 4, 16, 16, 1, "MONOCHROME2", Words(0x8000, 0xFFFF, 0x7FFF, 0x0000));
        Assert.That(Pixels(ds).GetStoredValues(0), Is.EqualTo(new[] { -32768, -1, 32767, 0 }));
    }

    [Test]
    public void Eight_bit_signed_and_unsigned_samples()
    {
        byte[] raw = [0x80, 0xFF, 0x7F];
        Assert.That(Pixels(Create(1, 3, 8, 8, 1, "MONOCHROME2", raw)).GetStoredValues(0), Is.EqualTo(new[] { -128, -1, 127 }));
        Assert.That(Pixels(Create(1, 3, 8, 8, 0, "MONOCHROME2", raw)).GetStoredValues(0), Is.EqualTo(new[] { 128, 255, 127 }));
    }

    [Test]
    public void Thirty_two_bit_values_signed_and_unsigned()
    {
        byte[] raw = [0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x80];
        Assert.That(Pixels(Create(1, 2, 32, 32, 1, "MONOCHROME2", raw)).GetStoredValues(0), Is.EqualTo(new[] { -1, int.MinValue + 1 }));
        var unsigned = Pixels(Create(1, 2, 32, 32, 0, "MONOCHROME2", raw));
        var longs = new long[2];
        unsigned.GetStoredValues(0, longs);
        Assert.That(longs, Is.EqualTo(new[] { 4294967295L, 2147483649L }));
        var ex = Assert.Throws<DicomDataException>(() => unsigned.GetStoredValues(0));
        Assert.That(ex!.Message, Does.Contain("4294967295").And.Contain("long"));
    }

    [Test]
    public void Multi_frame_data_is_sliced_per_frame()
    {
        var words = Enumerable.Range(0, 12).Select(i => (ushort)(i * 100)).ToArray();
        var pd = Pixels(Create(2, 2, 16, 16, 0, "MONOCHROME2", Words(words), frames: 3));
        Assert.That(pd.FrameCount, Is.EqualTo(3));
        Assert.That(pd.FrameSize, Is.EqualTo(8));
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(Words(400, 500, 600, 700)));
        Assert.That(pd.GetStoredValues(2), Is.EqualTo(new[] { 800, 900, 1000, 1100 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => pd.GetFrameBytes(3));
    }

    [Test]
    public void A_frame_past_the_end_of_the_data_names_pixel_data_and_the_frame()
    {
        var pd = Pixels(Create(2, 2, 16, 16, 0, "MONOCHROME2", Words(1, 2, 3, 4, 5, 6), frames: 2));
        Assert.That(pd.GetFrameBytes(0), Has.Length.EqualTo(8));
        var ex = Assert.Throws<DicomDataException>(() => pd.GetFrameBytes(1));
        Assert.That(ex!.Message, Does.Contain("Pixel Data (7FE0,0010) holds 12 bytes").And.Contain("frame 1 of 2"));
    }

    [Test]
    public void One_bit_frames_are_packed_without_padding_and_realigned()
    {
        // Three 3×3 frames = 27 bits; frame 1 starts at bit 9 (PS3.5 8.1.1: no padding between 1-bit frames),
        // the first pixel of each byte is its least significant bit (PS3.5 D.2).
        int[][] frames = [[1, 0, 1, 0, 1, 0, 1, 0, 1], [1, 1, 0, 0, 0, 0, 0, 1, 1], [0, 1, 0, 1, 1, 1, 0, 1, 0]];
        var bits = frames.SelectMany(f => f).ToArray();
        var bytes = new byte[4];
        for (int i = 0; i < bits.Length; i++) bytes[i / 8] |= (byte)(bits[i] << (i % 8));
        var pd = Pixels(Create(3, 3, 1, 1, 0, "MONOCHROME2", bytes, frames: 3));
        Assert.That(pd.FrameSize, Is.EqualTo(2));
        for (int f = 0; f < 3; f++) Assert.That(pd.GetStoredValues(f), Is.EqualTo(frames[f]), $"frame {f}");
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(new byte[] { 0b1000_0011, 0b1 }));
    }

    [Test]
    public void Planar_configuration_one_is_interleaved()
    {
        byte[] planes = [10, 11, 20, 21, 30, 31]; // R1 R2 G1 G2 B1 B2
        var ds = Create(1, 2, 8, 8, 0, "RGB", planes, samplesPerPixel: 3, planar: 1);
        Assert.That(Pixels(ds).GetStoredValues(0), Is.EqualTo(new[] { 10, 20, 30, 11, 21, 31 }));
        var image = new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(image.RenderRgb24(0), Is.EqualTo(new byte[] { 10, 20, 30, 11, 21, 31 }));
    }

    [Test]
    public void Ybr_full_422_pairs_share_their_chroma()
    {
        byte[] raw = [100, 200, 90, 160]; // Y1 Y2 Cb Cr (PS3.3 C.7.6.3.1.2)
        var pd = Pixels(Create(1, 2, 8, 8, 0, "YBR_FULL_422", raw, samplesPerPixel: 3));
        Assert.That(pd.FrameSize, Is.EqualTo(4));
        Assert.That(pd.GetStoredValues(0), Is.EqualTo(new[] { 100, 90, 160, 200, 90, 160 }));
    }

    [TestCase(255, 0, 0)]
    [TestCase(0, 255, 0)]
    [TestCase(0, 0, 255)]
    [TestCase(255, 255, 255)]
    [TestCase(0, 0, 0)]
    [TestCase(10, 200, 30)]
    [TestCase(128, 64, 192)]
    public void Ybr_full_converts_back_to_the_rgb_it_was_made_from(int r, int g, int b)
    {
        // Forward equations of PS3.3 C.7.6.3.1.2, rounded to 8 bits as an encoder would store them.
        byte y = Clamp(0.2990 * r + 0.5870 * g + 0.1140 * b);
        byte cb = Clamp(-0.1687 * r - 0.3313 * g + 0.5000 * b + 128);
        byte cr = Clamp(0.5000 * r - 0.4187 * g - 0.0813 * b + 128);
        var image = new DicomImage(Create(1, 1, 8, 8, 0, "YBR_FULL", [y, cb, cr, 0], samplesPerPixel: 3), DicomTransferSyntax.ExplicitVRLittleEndian);
        var rgb = image.RenderRgb24(0);
        Assert.That(rgb[0], Is.EqualTo(r).Within(1));
        Assert.That(rgb[1], Is.EqualTo(g).Within(1));
        Assert.That(rgb[2], Is.EqualTo(b).Within(1));
    }

    [Test]
    public void Neutral_ybr_is_gray_exactly()
    {
        var image = new DicomImage(Create(1, 1, 8, 8, 0, "YBR_FULL", [77, 128, 128, 0], samplesPerPixel: 3), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(image.RenderRgb24(0), Is.EqualTo(new byte[] { 77, 77, 77 }));
    }

    private static byte Clamp(double v) => (byte)Math.Clamp((int)Math.Floor(v + 0.5), 0, 255);

    [Test]
    public void Monochrome1_is_inverted_at_display_time_only()
    {
        byte[] raw = [0, 100, 255, 0];
        var window = new VoiWindow(128, 256); // maps 0 → 0, 100 → 100, 255 → 255 (C.11.2.1.2.1)
        var mono2 = new DicomImage(Create(1, 3, 8, 8, 0, "MONOCHROME2", raw), DicomTransferSyntax.ExplicitVRLittleEndian);
        var mono1 = new DicomImage(Create(1, 3, 8, 8, 0, "MONOCHROME1", raw), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(mono2.RenderGray8(0, window), Is.EqualTo(new byte[] { 0, 100, 255 }));
        Assert.That(mono1.RenderGray8(0, window), Is.EqualTo(new byte[] { 255, 155, 0 }));
        Assert.That(mono1.PixelData.GetStoredValues(0), Is.EqualTo(new[] { 0, 100, 255 }));
    }

    [Test]
    public void Renders_ct_hounsfield_units_through_rescale_and_window()
    {
        // Stored 0, 984, 1064, 2024 with intercept −1024 → HU −1024, −40, 40, 1000; window 40/400 (C.11.2.1.2.1).
        var ds = Create(1, 4, 16, 12, 0, "MONOCHROME2", Words(0, 984, 1064, 2024));
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
        var image = new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(image.GetModalityValues(0), Is.EqualTo(new[] { -1024.0, -40, 40, 1000 }));
        // −40 → ((−40 − 39.5)/399 + 0.5) × 255 = 76.69 → 77; 40 → 127.82 → 128.
        Assert.That(image.RenderGray8(0, new VoiWindow(40, 400)), Is.EqualTo(new byte[] { 0, 77, 128, 255 }));
    }

    [Test]
    public void Uses_the_first_window_preset_when_none_is_given()
    {
        var ds = Create(1, 2, 8, 8, 0, "MONOCHROME2", [10, 20]);
        ds.AddOrUpdate(DicomTags.WindowCenter, "15", "100");
        ds.AddOrUpdate(DicomTags.WindowWidth, "11", "10");
        // c 15 w 11: thresholds 9.5 and 19.5 → 10 maps to (0.5/10)×255 = 12.75 → 13, 20 → 255.
        Assert.That(new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian).RenderGray8(0), Is.EqualTo(new byte[] { 13, 255 }));
    }

    [Test]
    public void Without_any_window_the_frame_range_is_stretched()
    {
        var ds = Create(1, 3, 16, 16, 1, "MONOCHROME2", Words(unchecked((ushort)-500), 0, 1500));
        Assert.That(new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian).RenderGray8(0), Is.EqualTo(new byte[] { 0, 64, 255 }));
    }

    [Test]
    public void Modality_lut_sequence_replaces_rescale()
    {
        var ds = Create(1, 5, 16, 16, 1, "MONOCHROME2", Words(unchecked((ushort)-5), unchecked((ushort)-2), 0, 1, 5));
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "1000");
        var item = new DicomDataset();
        // Descriptor: 4 entries, first input −2 (SS because pixels are signed), 16 bits (PS3.3 C.11.1.1).
        item.AddOrUpdateBytes(DicomTags.LUTDescriptor, DicomVR.SS, Words(4, unchecked((ushort)-2), 16));
        item.AddOrUpdateBytes(DicomTags.LUTData, DicomVR.OW, Words(10, 20, 30, 40));
        ds.AddOrUpdate(new DicomSequence(DicomTags.ModalityLUTSequence, [item]));
        var image = new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(image.ModalityLut.Table, Is.Not.Null);
        Assert.That(image.GetModalityValues(0), Is.EqualTo(new[] { 10.0, 10, 30, 40, 40 }));
    }

    [Test]
    public void Voi_lut_sequence_output_is_scaled_to_eight_bits()
    {
        var ds = Create(1, 3, 8, 8, 0, "MONOCHROME2", [0, 1, 9]);
        var item = new DicomDataset();
        item.AddOrUpdateBytes(DicomTags.LUTDescriptor, DicomVR.US, Words(2, 0, 10));
        item.AddOrUpdateBytes(DicomTags.LUTData, DicomVR.OW, Words(0, 1023));
        ds.AddOrUpdate(new DicomSequence(DicomTags.VOILUTSequence, [item]));
        Assert.That(new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian).RenderGray8(0), Is.EqualTo(new byte[] { 0, 255, 255 }));
    }

    [TestCase("Rows", "Rows (0028,0010)")]
    [TestCase("BitsAllocated", "Bits Allocated (0028,0100)")]
    [TestCase("PixelData", "Pixel Data (7FE0,0010)")]
    public void A_missing_required_attribute_is_named(string keyword, string expected)
    {
        var ds = Create(2, 2, 8, 8, 0, "MONOCHROME2", [1, 2, 3, 4]);
        var tag = keyword switch { "Rows" => DicomTags.Rows, "BitsAllocated" => DicomTags.BitsAllocated, _ => DicomTags.PixelData };
        ds.Remove(tag);
        var ex = Assert.Throws<DicomDataException>(() => Pixels(ds));
        Assert.That(ex!.Message, Does.Contain(expected));
    }

    [Test]
    public void Inconsistent_attributes_are_named()
    {
        var ds = Create(2, 2, 16, 16, 0, "MONOCHROME2", Words(1, 2, 3, 4));
        ds.AddOrUpdate<ushort>(DicomTags.BitsStored, 17);
        Assert.That(Assert.Throws<DicomDataException>(() => Pixels(ds))!.Message, Does.Contain("Bits Stored (0028,0101) is 17"));

        ds = Create(2, 2, 16, 16, 0, "MONOCHROME2", Words(1, 2, 3, 4));
        ds.AddOrUpdateBytes(DicomTags.NumberOfFrames, DicomVR.IS, "1A"u8.ToArray());
        Assert.That(Assert.Throws<DicomDataException>(() => Pixels(ds))!.Message, Does.Contain("Number of Frames (0028,0008)"));

        ds = Create(2, 2, 8, 8, 0, "RGB", [1, 2, 3, 4]);
        Assert.That(Assert.Throws<DicomDataException>(() => Pixels(ds))!.Message, Does.Contain("Samples per Pixel (0028,0002) is 1"));
    }

    [Test]
    public void Frames_of_a_file_backed_value_are_read_from_the_file()
    {
        var words = Enumerable.Range(0, 64 * 64 * 4).Select(i => (ushort)i).ToArray();
        var ds = Create(64, 64, 16, 16, 0, "MONOCHROME2", Words(words), frames: 4);
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "2.25.1234");
        string path = Path.Combine(Path.GetTempPath(), $"pixel-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(ds).Save(path);
            var file = DicomFile.Open(path, DicomReaderOptions.Default with { LargeValueThreshold = 1024 });
            Assert.That(((DicomElement)file.Dataset.GetItem(DicomTags.PixelData)!).Buffer.IsMemory, Is.False);
            var pd = DicomPixelData.Create(file);
            Assert.That(pd.GetStoredValues(3)[0], Is.EqualTo(3 * 64 * 64));
            Assert.That(pd.GetStoredValues(3)[^1], Is.EqualTo(4 * 64 * 64 - 1));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Rendering_a_512_by_512_frame_again_allocates_nothing()
    {
        var random = new Random(7);
        var words = new ushort[512 * 512];
        for (int i = 0; i < words.Length; i++) words[i] = (ushort)random.Next(0, 4096);
        var ds = Create(512, 512, 16, 12, 0, "MONOCHROME2", Words(words));
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        var image = new DicomImage(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        var output = new byte[512 * 512];
        var window = new VoiWindow(40, 400);
        image.RenderGray8(0, window, output);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        image.RenderGray8(0, window, output);
        sw.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"second render: {sw.Elapsed.TotalMilliseconds:F2} ms, {allocated} bytes allocated");
        Assert.That(allocated, Is.LessThan(1024));
        Assert.That(output[0], Is.EqualTo(new VoiWindow(40, 400).Apply(words[0] - 1024) is var y ? (byte)Math.Floor(y + 0.5) : 0));
    }
}
