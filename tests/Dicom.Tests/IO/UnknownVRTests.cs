using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §6.2.2: UN values of tags the dictionary knows are read with the dictionary VR; UN of undefined length is an Implicit VR LE sequence.</summary>
[TestFixture, Category("Encoding")]
public sealed class UnknownVRTests
{
    [Test]
    public void UN_of_a_known_tag_is_reinterpreted_with_the_dictionary_VR()
    {
        var ds = Read(Hex("1000 1000 'UN' 0000 08000000 'Doe^John'  2800 1000 'UN' 0000 02000000 0002"), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.PatientName).VR, Is.EqualTo(DicomVR.PN));
        Assert.That(ds.GetElement(DicomTags.Rows).VR, Is.EqualTo(DicomVR.US));
        Assert.That(ds.GetSingleValue<ushort>(DicomTags.Rows), Is.EqualTo(512));
    }

    [Test]
    public void UN_is_kept_when_reinterpretation_is_off()
    {
        var ds = Read(Hex("1000 1000 'UN' 0000 08000000 'Doe^John'"), DicomTransferSyntax.ExplicitVRLittleEndian, DicomReaderOptions.Default with { ReinterpretUN = false });
        Assert.That(ds.GetElement(DicomTags.PatientName).VR, Is.EqualTo(DicomVR.UN));
    }

    [Test]
    public void UN_of_a_known_sequence_with_defined_length_is_read_as_implicit_items()
    {
        // (0008,1140) as UN holding one implicit item with (0008,1155) "1.2\0".
        var ds = Read(Hex("0800 4011 'UN' 0000 14000000  FEFF 00E0 0C000000  0800 5511 04000000 '1.2' 00"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var sq = ds.GetSequence(DicomTags.ReferencedImageSequence);
        Assert.That(sq.Items.Single().GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo("1.2"));
    }

    [Test]
    public void UN_of_undefined_length_is_an_implicit_VR_sequence()
    {
        var ds = Read(Hex("0900 1010 'UN' 0000 FFFFFFFF  FEFF 00E0 FFFFFFFF  0800 5511 04000000 '1.2' 00  FEFF 0DE0 00000000  FEFF DDE0 00000000"), DicomTransferSyntax.ExplicitVRLittleEndian);
        var sq = ds.GetSequence(new DicomTag(0x0009, 0x1010));
        Assert.That(sq.Items.Single().GetElement(DicomTags.ReferencedSOPInstanceUID).VR, Is.EqualTo(DicomVR.UI));
    }

    [Test]
    public void UN_of_an_unknown_tag_stays_UN()
    {
        var ds = Read(Hex("0800 FEEF 'UN' 0000 02000000 4142"), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(ds.GetItem(new DicomTag(0x0008, 0xEFFE))!.VR, Is.EqualTo(DicomVR.UN));
    }
}
