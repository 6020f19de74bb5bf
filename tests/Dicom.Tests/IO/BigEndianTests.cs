using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.3: Explicit VR Big Endian swaps tag, length and each value unit of binary VRs; bytes and strings are not swapped.</summary>
[TestFixture, Category("Encoding")]
public sealed class BigEndianTests
{
    private static readonly DicomTag Tag = new(0x0009, 0x1010);

    [TestCase("US", "3412", "'US' 0002 1234")]
    [TestCase("SS", "FEFF", "'SS' 0002 FFFE")]
    [TestCase("UL", "78563412", "'UL' 0004 12345678")]
    [TestCase("SL", "78563412", "'SL' 0004 12345678")]
    [TestCase("FL", "0000C03F", "'FL' 0004 3FC00000")]
    [TestCase("FD", "000000000000F83F", "'FD' 0008 3FF8000000000000")]
    [TestCase("AT", "28000900", "'AT' 0004 00280009")]
    [TestCase("SV", "0807060504030201", "'SV' 0000 00000008 0102030405060708")]
    [TestCase("UV", "0807060504030201", "'UV' 0000 00000008 0102030405060708")]
    [TestCase("OW", "34127856", "'OW' 0000 00000004 12345678")]
    [TestCase("OF", "78563412", "'OF' 0000 00000004 12345678")]
    [TestCase("OL", "78563412", "'OL' 0000 00000004 12345678")]
    [TestCase("OD", "0807060504030201", "'OD' 0000 00000008 0102030405060708")]
    [TestCase("OV", "0807060504030201", "'OV' 0000 00000008 0102030405060708")]
    [TestCase("OB", "01020304", "'OB' 0000 00000004 01020304")]
    [TestCase("UN", "01020304", "'UN' 0000 00000004 01020304")]
    [TestCase("CS", "41424344", "'CS' 0004 41424344")]
    [TestCase("UT", "41424344", "'UT' 0000 00000004 41424344")]
    public void Big_endian_swaps_each_value_unit_of_binary_VRs(string code, string littleEndianValue, string bigEndianAfterTag)
    {
        var vr = DicomVR.Parse(code);
        var value = Convert.FromHexString(littleEndianValue);
        var expected = Hex("0009 1010 " + bigEndianAfterTag);
        Assert.That(ToHex(Write(One(Tag, vr, value), DicomTransferSyntax.ExplicitVRBigEndian)), Is.EqualTo(ToHex(expected)));

        var back = Read(expected, DicomTransferSyntax.ExplicitVRBigEndian).GetElement(Tag);
        Assert.That(back.VR, Is.EqualTo(vr));
        Assert.That(ToHex(back.Buffer.Memory.Span), Is.EqualTo(littleEndianValue), "values are little-endian in memory");
    }

    [Test]
    public void Big_endian_sequence_item_and_delimiter_tags_are_swapped()
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.Rows, (ushort)1);
        var ds = new DicomDataset();
        ds.Add(new DicomSequence(DicomTags.ReferencedImageSequence, item) { HadUndefinedLength = true });
        var expected = Hex("0008 1140 'SQ' 0000 FFFFFFFF  FFFE E000 FFFFFFFF  0028 0010 'US' 0002 0001  FFFE E00D 00000000  FFFE E0DD 00000000");
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRBigEndian)), Is.EqualTo(ToHex(expected)));
        var back = Read(expected, DicomTransferSyntax.ExplicitVRBigEndian);
        Assert.That(back.GetSequence(DicomTags.ReferencedImageSequence).Items[0].GetSingleValue<ushort>(DicomTags.Rows), Is.EqualTo(1));
    }

    [Test]
    public void Big_endian_large_OW_value_is_swapped_when_read_from_a_file()
    {
        var words = new ushort[40_000];
        for (int i = 0; i < words.Length; i++) words[i] = (ushort)(i * 7);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, words);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Write(ds, DicomTransferSyntax.ExplicitVRBigEndian));
            using var fs = File.OpenRead(path);
            var back = EdgeCancer.Dicom.IO.DicomFile.ReadDataset(fs, DicomTransferSyntax.ExplicitVRBigEndian, path: path);
            Assert.That(back.GetValues<ushort>(DicomTags.PixelData), Is.EqualTo(words));
        }
        finally { File.Delete(path); }
    }
}
