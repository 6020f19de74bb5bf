using EdgeCancer.Dicom.Imaging;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>
/// Native Pixel Data in Explicit VR Big Endian: each pixel cell of Bits Allocated bits is one big-endian number
/// (PS3.5 §8.1.1, §7.3), whatever swap unit its VR gives it in the data layer.
/// </summary>
[Category("Imaging")]
public sealed class BigEndianPixelTests
{
    private static DicomPixelData ReadBigEndian(int bitsAllocated, string vr, string pixelHex)
    {
        string bits = bitsAllocated.ToString("X4");
        string highBit = (bitsAllocated - 1).ToString("X4");
        int length = pixelHex.Replace(" ", "").Length / 2;
        var bytes = Hex(
            "0028 0002 'US' 0002 0001  0028 0004 'CS' 000C 'MONOCHROME2 '  0028 0010 'US' 0002 0001  0028 0011 'US' 0002 0002  " +
            $"0028 0100 'US' 0002 {bits}  0028 0101 'US' 0002 {bits}  0028 0102 'US' 0002 {highBit}  0028 0103 'US' 0002 0000  " +
            $"7FE0 0010 '{vr}' 0000 {length:X8} {pixelHex}");
        return DicomPixelData.Create(Read(bytes, DicomTransferSyntax.ExplicitVRBigEndian), DicomTransferSyntax.ExplicitVRBigEndian);
    }

    [Test]
    public void Thirty_two_bit_cells_in_OW_are_big_endian_numbers()
    {
        var pd = ReadBigEndian(32, "OW", "01020304 0A0B0C0D");
        Assert.That(pd.GetStoredValues(0), Is.EqualTo(new[] { 0x01020304, 0x0A0B0C0D }));
        Assert.That(pd.GetFrameBytes(0), Is.EqualTo(new byte[] { 4, 3, 2, 1, 0x0D, 0x0C, 0x0B, 0x0A }), "native frames are little endian");
    }

    [Test]
    public void Sixteen_bit_cells_in_OW_need_only_the_data_layer_swap()
    {
        var pd = ReadBigEndian(16, "OW", "0102 0A0B");
        Assert.That(pd.GetStoredValues(0), Is.EqualTo(new[] { 0x0102, 0x0A0B }));
    }

    [TestCase(16, "0102 0A0B", new[] { 0x0102, 0x0A0B })]
    [TestCase(32, "01020304 0A0B0C0D", new[] { 0x01020304, 0x0A0B0C0D })]
    public void Cells_in_OB_which_the_data_layer_leaves_unswapped_are_big_endian_numbers(int bitsAllocated, string hex, int[] expected)
    {
        Assert.That(ReadBigEndian(bitsAllocated, "OB", hex).GetStoredValues(0), Is.EqualTo(expected));
    }
}
