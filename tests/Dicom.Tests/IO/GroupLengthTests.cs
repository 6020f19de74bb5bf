using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.2: group length elements are written only for groups 0000 (command) and 0002 (file meta).</summary>
[TestFixture, Category("Encoding")]
public sealed class GroupLengthTests
{
    [Test]
    public void Group_length_of_a_dataset_group_is_dropped_on_write()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, 10u);
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("0800 6000 'CS' 0200 'CT'"))));
    }

    [Test]
    public void Command_group_length_is_kept()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0000, 0x0000), DicomVR.UL, 10u);
        ds.AddOrUpdate(new DicomTag(0x0000, 0x0100), DicomVR.US, (ushort)0x0030);
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ImplicitVRLittleEndian)), Is.EqualTo(ToHex(Hex("0000 0000 04000000 0A000000  0000 0001 02000000 3000"))));
    }
}
