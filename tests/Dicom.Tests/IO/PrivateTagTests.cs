using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.8: private data elements (gggg,xxee) belong to the block reserved by the creator in (gggg,00xx).</summary>
[TestFixture, Category("Encoding")]
public sealed class PrivateTagTests
{
    // (0009,0010) LO "GEMS_IDEN_01"; (0009,1027) is ImageActualDate, SL, in DCMTK's private dictionary.
    private const string ImplicitPrivate = "0900 1000 0C000000 'GEMS_IDEN_01'  0900 2710 04000000 B5AF6633";

    [Test]
    public void Implicit_private_element_gets_its_VR_from_the_private_dictionary()
    {
        Assert.That(DicomDictionary.FindPrivate("GEMS_IDEN_01", new DicomTag(0x0009, 0x1027))?.ValueRepresentation, Is.EqualTo(DicomVR.SL), "dictionary precondition");
        var ds = Read(Hex(ImplicitPrivate), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(new DicomTag(0x0009, 0x0010)).VR, Is.EqualTo(DicomVR.LO));
        Assert.That(ds.GetElement(new DicomTag(0x0009, 0x1027)).VR, Is.EqualTo(DicomVR.SL));
        Assert.That(ds.GetSingleValue<int>(new DicomTag(0x0009, 0x1027)), Is.EqualTo(0x3366AFB5));
    }

    [Test]
    public void Implicit_private_element_of_another_block_is_not_confused_with_a_known_creator()
    {
        // The same element in block 0x11, reserved by an unknown creator, stays UN.
        var ds = Read(Hex("0900 1000 0C000000 'GEMS_IDEN_01'  0900 1100 08000000 'UNKNOWN '  0900 2711 04000000 B5AF6633"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(new DicomTag(0x0009, 0x1127)).VR, Is.EqualTo(DicomVR.UN));
    }

    [Test]
    public void Private_creators_inside_a_sequence_item_apply_only_to_that_item()
    {
        var hex = "0800 4011 FFFFFFFF  FEFF 00E0 FFFFFFFF  " + ImplicitPrivate + "  FEFF 0DE0 00000000  FEFF DDE0 00000000  0900 2710 04000000 B5AF6633";
        var ds = Read(Hex(hex), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetSequence(DicomTags.ReferencedImageSequence).Items[0].GetElement(new DicomTag(0x0009, 0x1027)).VR, Is.EqualTo(DicomVR.SL));
        Assert.That(ds.GetElement(new DicomTag(0x0009, 0x1027)).VR, Is.EqualTo(DicomVR.UN), "no creator at the top level");
    }

    [Test]
    public void Dataset_reserves_a_private_block_and_finds_its_creator()
    {
        var ds = new DicomDataset();
        var tag = ds.GetPrivateTag("ACME 1.0", 0x0029, 0x10);
        Assert.That(tag, Is.EqualTo(new DicomTag(0x0029, 0x1010)));
        ds.AddOrUpdate(tag, DicomVR.LO, "hello");
        var second = ds.GetPrivateTag("OTHER", 0x0029, 0x10);
        Assert.That(second, Is.EqualTo(new DicomTag(0x0029, 0x1110)));
        Assert.That(ds.GetString(new DicomTag(0x0029, 0x0010)), Is.EqualTo("ACME 1.0"));
        Assert.That(ds.GetString(new DicomTag(0x0029, 0x0011)), Is.EqualTo("OTHER"));
        Assert.That(ds.GetPrivateCreator(tag), Is.EqualTo("ACME 1.0"));
        Assert.That(ds.GetPrivateTag("ACME 1.0", 0x0029, 0x10), Is.EqualTo(tag), "an existing block is reused");
    }

    [Test]
    public void Private_elements_round_trip_in_explicit_VR()
    {
        var ds = new DicomDataset();
        var tag = ds.GetPrivateTag("ACME 1.0", 0x0029, 0x20);
        ds.AddOrUpdate(tag, DicomVR.FD, 2.5);
        var back = Read(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(back.GetSingleValue<double>(tag), Is.EqualTo(2.5));
        Assert.That(back.GetPrivateCreator(tag), Is.EqualTo("ACME 1.0"));
    }
}
