using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.1.2: Explicit VR headers. Table 7.1-2 VRs have a 16-bit length; Table 7.1-1 VRs (OB, OD, OF, OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV) have two reserved bytes and a 32-bit length.</summary>
[TestFixture, Category("Encoding")]
public sealed class ExplicitVRHeaderTests
{
    private static readonly DicomTag Tag = new(0x0009, 0x1010);

    [TestCase("AE"), TestCase("AS"), TestCase("AT"), TestCase("CS"), TestCase("DA"), TestCase("DS"), TestCase("DT"), TestCase("FL"),
     TestCase("FD"), TestCase("IS"), TestCase("LO"), TestCase("LT"), TestCase("PN"), TestCase("SH"), TestCase("SL"), TestCase("SS"),
     TestCase("ST"), TestCase("TM"), TestCase("UI"), TestCase("UL"), TestCase("US")]
    public void Short_length_VRs_have_a_16_bit_length_after_the_VR(string code)
    {
        var vr = DicomVR.Parse(code);
        var value = new byte[8];
        for (int i = 0; i < 8; i++) value[i] = (byte)(0x30 + i);
        var expected = Hex($"0900 1010 '{code}' 0800 3031323334353637");

        Assert.That(ToHex(Write(One(Tag, vr, value), DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(expected)));
        var back = Read(expected, DicomTransferSyntax.ExplicitVRLittleEndian).GetElement(Tag);
        Assert.That(back.VR, Is.EqualTo(vr));
        Assert.That(back.Buffer.Memory.ToArray(), Is.EqualTo(value));
    }

    [TestCase("OB"), TestCase("OD"), TestCase("OF"), TestCase("OL"), TestCase("OV"), TestCase("OW"), TestCase("SV"), TestCase("UC"),
     TestCase("UN"), TestCase("UR"), TestCase("UT"), TestCase("UV")]
    public void Long_length_VRs_have_two_reserved_bytes_and_a_32_bit_length(string code)
    {
        var vr = DicomVR.Parse(code);
        var value = new byte[8];
        for (int i = 0; i < 8; i++) value[i] = (byte)(0x30 + i);
        var expected = Hex($"0900 1010 '{code}' 0000 08000000 3031323334353637");

        Assert.That(ToHex(Write(One(Tag, vr, value), DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(expected)));
        var back = Read(expected, DicomTransferSyntax.ExplicitVRLittleEndian, DicomReaderOptions.Default with { ReinterpretUN = false }).GetElement(Tag);
        Assert.That(back.VR, Is.EqualTo(vr));
        Assert.That(back.Buffer.Memory.ToArray(), Is.EqualTo(value));
    }

    [Test]
    public void Every_one_of_the_34_VRs_is_classified_as_in_Tables_7_1_1_and_7_1_2()
    {
        string[] longForm = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];
        Assert.That(DicomVR.All, Has.Count.EqualTo(34));
        foreach (var vr in DicomVR.All)
            Assert.That(vr.HasLongLength, Is.EqualTo(longForm.Contains(vr.Code)), vr.Code);
    }

    [Test]
    public void Sequence_header_is_VR_SQ_with_reserved_bytes_and_32_bit_length()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomSequence(DicomTags.ReferencedImageSequence));
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("0800 4011 'SQ' 0000 00000000"))));
    }

    [Test]
    public void A_value_too_long_for_a_16_bit_length_is_written_as_UN()
    {
        var value = new byte[70_000];
        Array.Fill(value, (byte)'A');
        var bytes = Write(One(DicomTags.PatientComments, DicomVR.LO, value), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(ToHex(bytes.AsSpan(0, 12)), Is.EqualTo(ToHex(Hex("1000 0040 'UN' 0000 70110100"))));
    }
}
