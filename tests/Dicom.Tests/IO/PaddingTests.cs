using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §6.2 and §7.1.1: values have even length; UI is padded with NUL, other strings with a space, OB with NUL.</summary>
[TestFixture, Category("Encoding")]
public sealed class PaddingTests
{
    [Test]
    public void Odd_UI_is_padded_with_NUL()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3");
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("0800 1800 'UI' 0600 '1.2.3' 00"))));
        Assert.That(ds.GetString(DicomTags.SOPInstanceUID), Is.EqualTo("1.2.3"));
    }

    [Test]
    public void Odd_string_is_padded_with_space()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PatientID, "ABC");
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("1000 2000 'LO' 0400 'ABC '"))));
        Assert.That(ds.GetString(DicomTags.PatientID), Is.EqualTo("ABC"));
    }

    [Test]
    public void Odd_OB_is_padded_with_NUL()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdateBytes(new DicomTag(0x0009, 0x1010), DicomVR.OB, new byte[] { 1, 2, 3 });
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("0900 1010 'OB' 0000 04000000 010203 00"))));
    }

    [Test]
    public void Odd_value_buffer_is_padded_by_the_writer()
    {
        var ds = One(DicomTags.PatientID, DicomVR.LO, "ABC"u8.ToArray());
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ImplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("1000 2000 04000000 'ABC '"))));
    }

    [Test]
    public void Odd_fragment_is_padded_to_even_length()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, EdgeCancer.Dicom.IO.Buffers.MemoryByteBuffer.Empty,
            [new EdgeCancer.Dicom.IO.Buffers.MemoryByteBuffer(new byte[] { 0xFF, 0xD8, 0xFF })]));
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.JPEGBaseline8Bit)),
            Is.EqualTo(ToHex(Hex("E07F 1000 'OB' 0000 FFFFFFFF  FEFF 00E0 00000000  FEFF 00E0 04000000 FFD8FF00  FEFF DDE0 00000000"))));
    }
}
