using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §6.2 and Table 6.2-1: multi-valued strings split on '\', padding and insignificant spaces removed per VR.</summary>
[TestFixture, Category("Encoding")]
public sealed class StringValueTests
{
    [Test]
    public void Multi_valued_CS_is_joined_with_backslash_and_padded_with_space()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AX");
        Assert.That(ds.GetElement(DicomTags.ImageType).Buffer.Memory.ToArray(), Is.EqualTo("ORIGINAL\\PRIMARY\\AX "u8.ToArray()));
        Assert.That(ds.GetValues<string>(DicomTags.ImageType), Is.EqualTo(new[] { "ORIGINAL", "PRIMARY", "AX" }));
        Assert.That(ds.GetElement(DicomTags.ImageType).Count, Is.EqualTo(3));
    }

    [Test]
    public void Leading_and_trailing_spaces_are_insignificant_for_LO_but_leading_spaces_count_in_LT()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.PatientID, DicomVR.LO, "  ID1 \\ ID2  "u8.ToArray()));
        ds.Add(new DicomElement(DicomTags.AdditionalPatientHistory, DicomVR.LT, "  first\\line  "u8.ToArray()));
        Assert.That(ds.GetValues<string>(DicomTags.PatientID), Is.EqualTo(new[] { "ID1", "ID2" }));
        Assert.That(ds.GetValues<string>(DicomTags.AdditionalPatientHistory), Is.EqualTo(new[] { "  first\\line" }), "LT is single-valued; backslash is text");
    }

    [Test]
    public void UI_values_lose_their_NUL_padding()
    {
        var ds = Read(Hex("0008 1600 'UI' 0000 0600 '1.2.3' 00".Replace("0008 1600 'UI' 0000 0600", "0800 1600 'UI' 0600")), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(ds.GetString(DicomTags.SOPClassUID), Is.EqualTo("1.2.3"));
        Assert.That(ds.GetSingleValue<DicomUid>(DicomTags.SOPClassUID).Value, Is.EqualTo("1.2.3"));
    }

    [Test]
    public void Empty_values_have_zero_values()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.AccessionNumber, DicomVR.SH, ReadOnlyMemory<byte>.Empty));
        Assert.That(ds.GetValues<string>(DicomTags.AccessionNumber), Is.Empty);
        Assert.That(ds.GetElement(DicomTags.AccessionNumber).Count, Is.Zero);
        Assert.That(ds.GetString(DicomTags.AccessionNumber), Is.Empty);
    }

    [Test]
    public void Empty_value_in_the_middle_of_a_multi_valued_string_is_kept()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.ImageType, "DERIVED", "", "AXIAL");
        Assert.That(ds.GetValues<string>(DicomTags.ImageType), Is.EqualTo(new[] { "DERIVED", "", "AXIAL" }));
    }

    [TestCase("AE"), TestCase("AS"), TestCase("CS"), TestCase("DA"), TestCase("DS"), TestCase("DT"), TestCase("IS"), TestCase("LO"),
     TestCase("LT"), TestCase("PN"), TestCase("SH"), TestCase("ST"), TestCase("TM"), TestCase("UC"), TestCase("UI"), TestCase("UR"), TestCase("UT")]
    public void Every_string_VR_round_trips_one_value_through_every_transfer_syntax(string code)
    {
        var vr = DicomVR.Parse(code);
        string value = code switch { "DA" => "20240131", "TM" => "123045", "DT" => "20240131123045", "DS" => "-1.5", "IS" => "42", "AS" => "045Y", "UI" => "1.2.3", _ => "ABC" };
        var tag = new DicomTag(0x0009, 0x1010);
        var ds = new DicomDataset();
        ds.AddOrUpdate(tag, vr, value);
        foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian })
        {
            var back = Read(Write(ds, syntax), syntax);
            Assert.That(back.GetElement(tag).VR, Is.EqualTo(vr));
            Assert.That(back.GetString(tag), Is.EqualTo(value), syntax.Name);
        }
    }
}
