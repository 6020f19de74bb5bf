using System.Text.Json;
using EdgeCancer.Dicom.Serialization;

namespace EdgeCancer.Dicom.Tests.Serialization;

/// <summary>PS3.18 F.2: the DICOM JSON model: keys are 8 hex digits, "vr", "Value" arrays typed per VR, PN as component-group objects.</summary>
[TestFixture, Category("Encoding")]
public sealed class DicomJsonWriterTests
{
    private static JsonElement Json(DicomDataset ds) => JsonDocument.Parse(DicomJsonWriter.Write(ds)).RootElement;

    [Test]
    public void PN_is_an_object_per_component_group()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PatientName, "Yamada^Tarou=YAMADA^TAROU=yamada^tarou");
        ds.AddOrUpdate(DicomTags.OtherPatientNames, "Doe^John", "==Pho");
        var pn = Json(ds).GetProperty("00100010");
        Assert.That(pn.GetProperty("vr").GetString(), Is.EqualTo("PN"));
        var v = pn.GetProperty("Value")[0];
        Assert.That(v.GetProperty("Alphabetic").GetString(), Is.EqualTo("Yamada^Tarou"));
        Assert.That(v.GetProperty("Ideographic").GetString(), Is.EqualTo("YAMADA^TAROU"));
        Assert.That(v.GetProperty("Phonetic").GetString(), Is.EqualTo("yamada^tarou"));
        var other = Json(ds).GetProperty("00101001").GetProperty("Value");
        Assert.That(other[1].TryGetProperty("Alphabetic", out _), Is.False);
        Assert.That(other[1].GetProperty("Phonetic").GetString(), Is.EqualTo("Pho"));
    }

    [Test]
    public void Numbers_tags_and_strings_have_their_F_2_3_types()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.InstanceNumber, 7);
        ds.AddOrUpdate(DicomTags.PixelSpacing, 0.5, 0.25);
        ds.AddOrUpdate(DicomTags.Rows, (ushort)512);
        ds.AddOrUpdate(DicomTags.FrameIncrementPointer, new DicomTag(0x0018, 0x1063));
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "", "AXIAL");
        ds.AddOrUpdate(new DicomTag(0x0018, 0x9087), DicomVR.FD, 0.1);
        ds.AddOrUpdate(new DicomTag(0x0009, 0x1010), DicomVR.FL, 0.1f);
        var j = Json(ds);
        Assert.That(j.GetProperty("00200013").GetProperty("Value")[0].GetInt32(), Is.EqualTo(7));
        Assert.That(j.GetProperty("00280030").GetProperty("Value")[1].GetDouble(), Is.EqualTo(0.25));
        Assert.That(j.GetProperty("00280010").GetProperty("Value")[0].GetInt32(), Is.EqualTo(512));
        Assert.That(j.GetProperty("00280009").GetProperty("Value")[0].GetString(), Is.EqualTo("00181063"));
        Assert.That(j.GetProperty("00080008").GetProperty("Value")[1].ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(j.GetProperty("00189087").GetProperty("Value")[0].GetRawText(), Is.EqualTo("0.1"));
        Assert.That(j.GetProperty("00091010").GetProperty("Value")[0].GetRawText(), Is.EqualTo("0.1"), "FL is written as the float it is, not its widened double");
    }

    [Test]
    public void Empty_values_sequences_and_binary_follow_F_2()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.AccessionNumber, DicomVR.SH, ReadOnlyMemory<byte>.Empty));
        ds.Add(new DicomSequence(DicomTags.ReferencedImageSequence));
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "1.2.3");
        ds.Add(new DicomSequence(DicomTags.ReferencedStudySequence, item));
        ds.AddOrUpdateBytes(new DicomTag(0x0009, 0x1010), DicomVR.OB, new byte[] { 1, 2, 3, 4 });
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, 4u);
        var j = Json(ds);
        Assert.That(j.GetProperty("00080050").TryGetProperty("Value", out _), Is.False);
        Assert.That(j.GetProperty("00081140").TryGetProperty("Value", out _), Is.False);
        Assert.That(j.GetProperty("00081110").GetProperty("Value")[0].GetProperty("00081155").GetProperty("Value")[0].GetString(), Is.EqualTo("1.2.3"));
        Assert.That(j.GetProperty("00091010").GetProperty("InlineBinary").GetString(), Is.EqualTo("AQIDBA=="));
        Assert.That(j.TryGetProperty("00080000", out _), Is.False, "group lengths are not included");
    }
}
