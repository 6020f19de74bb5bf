using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.1.3: Implicit VR Little Endian headers are tag + 32-bit length; the VR comes from the dictionary.</summary>
[TestFixture, Category("Encoding")]
public sealed class ImplicitVRTests
{
    [Test]
    public void Implicit_header_is_tag_and_32_bit_length()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PatientName, "Doe^John");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)512);
        var expected = Hex("1000 1000 08000000 'Doe^John'  2800 1000 02000000 0002");
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.ImplicitVRLittleEndian)), Is.EqualTo(ToHex(expected)));
    }

    [Test]
    public void Implicit_reader_takes_the_VR_from_the_dictionary()
    {
        var ds = Read(Hex("0800 1600 1A000000 '1.2.840.10008.5.1.4.1.1.2' 00  1000 1000 08000000 'Doe^John'  2800 1000 02000000 0002"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.SOPClassUID).VR, Is.EqualTo(DicomVR.UI));
        Assert.That(ds.GetString(DicomTags.SOPClassUID), Is.EqualTo("1.2.840.10008.5.1.4.1.1.2"));
        Assert.That(ds.GetElement(DicomTags.PatientName).VR, Is.EqualTo(DicomVR.PN));
        Assert.That(ds.GetSingleValue<ushort>(DicomTags.Rows), Is.EqualTo(512));
    }

    [Test]
    public void Implicit_US_or_SS_element_becomes_SS_when_pixel_representation_is_signed()
    {
        // (0028,0103) PixelRepresentation 1, (0028,0106) SmallestImagePixelValue "US or SS" = -5
        var ds = Read(Hex("2800 0301 02000000 0100  2800 0601 02000000 FBFF"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.SmallestImagePixelValue).VR, Is.EqualTo(DicomVR.SS));
        Assert.That(ds.GetSingleValue<short>(DicomTags.SmallestImagePixelValue), Is.EqualTo(-5));
    }

    [Test]
    public void Implicit_US_or_SS_inside_sequence_items_follows_the_nearest_pixel_representation()
    {
        // PR = 1 at the top; a Real World Value Mapping item inherits it; an Icon Image item has its own PR = 0.
        var hex = "2800 0301 02000000 0100  "
            + "4000 9690 FFFFFFFF  FEFF 00E0 FFFFFFFF  4000 1692 02000000 FBFF  FEFF 0DE0 00000000  FEFF DDE0 00000000  "
            + "8800 0002 FFFFFFFF  FEFF 00E0 FFFFFFFF  2800 0301 02000000 0000  2800 0601 02000000 FBFF  FEFF 0DE0 00000000  FEFF DDE0 00000000";
        var ds = Read(Hex(hex), DicomTransferSyntax.ImplicitVRLittleEndian);
        var mapping = ds.GetSequence(DicomTags.RealWorldValueMappingSequence).Items[0];
        Assert.That(mapping.GetElement(DicomTags.RealWorldValueFirstValueMapped).VR, Is.EqualTo(DicomVR.SS));
        Assert.That(mapping.GetSingleValue<short>(DicomTags.RealWorldValueFirstValueMapped), Is.EqualTo(-5));
        var icon = ds.GetSequence(DicomTags.IconImageSequence).Items[0];
        Assert.That(icon.GetElement(DicomTags.SmallestImagePixelValue).VR, Is.EqualTo(DicomVR.US));
    }

    [Test]
    public void Implicit_LUT_descriptor_stays_US_when_pixel_representation_is_signed()
    {
        var ds = Read(Hex("2800 0301 02000000 0100  2800 0230 06000000 0000 00800C00"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.LUTDescriptor).VR, Is.EqualTo(DicomVR.US));
    }

    [Test]
    public void Unknown_public_tag_in_implicit_VR_is_UN()
    {
        var ds = Read(Hex("0800 FEEF 02000000 4142"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetItem(new DicomTag(0x0008, 0xEFFE))!.VR, Is.EqualTo(DicomVR.UN));
    }

    [Test]
    public void Implicit_OB_or_OW_elements_are_OW()
    {
        // (5400,1010) Waveform Data and (6002,3000) Overlay Data are "OB or OW" in PS3.6; Implicit VR makes them OW (PS3.5 §A.1).
        var ds = Read(Hex("0054 1010 04000000 01020304  0260 0030 02000000 FFFF"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.WaveformData).VR, Is.EqualTo(DicomVR.OW));
        Assert.That(ds.GetElement(new DicomTag(0x6002, 0x3000)).VR, Is.EqualTo(DicomVR.OW));
    }

    [Test]
    public void Implicit_pixel_data_is_OW()
    {
        var ds = Read(Hex("E07F 1000 04000000 01020304"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetElement(DicomTags.PixelData).VR, Is.EqualTo(DicomVR.OW));
    }
}
