using System.Buffers.Binary;
using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.10 §7.1: a 128-byte preamble, "DICM", File Meta Information in Explicit VR Little Endian with its group length, then the dataset.</summary>
[TestFixture, Category("Encoding")]
public sealed class FileMetaTests
{
    private static DicomFile Sample(DicomTransferSyntax syntax)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4");
        ds.AddOrUpdate(DicomTags.PatientName, "Doe^John");
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(syntax);
        return file;
    }

    private static byte[] Save(DicomFile file)
    {
        var ms = new MemoryStream();
        file.Save(ms);
        return ms.ToArray();
    }

    [Test]
    public void File_starts_with_a_zero_preamble_DICM_and_the_meta_group_length()
    {
        var bytes = Save(Sample(DicomTransferSyntax.ImplicitVRLittleEndian));
        Assert.That(bytes.AsSpan(0, 128).ToArray(), Is.All.Zero);
        Assert.That(ToHex(bytes.AsSpan(128, 4)), Is.EqualTo(ToHex("DICM"u8)));
        Assert.That(ToHex(bytes.AsSpan(132, 8)), Is.EqualTo(ToHex(Hex("0200 0000 'UL' 0400"))));
        Assert.That(ToHex(bytes.AsSpan(144, 14)), Is.EqualTo(ToHex(Hex("0200 0100 'OB' 0000 02000000 0001"))));

        uint groupLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        int datasetStart = 144 + (int)groupLength;
        // The dataset follows the meta directly, in Implicit VR: (0008,0016) with a 32-bit length.
        Assert.That(ToHex(bytes.AsSpan(datasetStart, 8)), Is.EqualTo(ToHex(Hex("0800 1600 1A000000"))));
    }

    [Test]
    public void Meta_names_the_transfer_syntax_and_the_SOP_instance()
    {
        var back = DicomFile.Open(new MemoryStream(Save(Sample(DicomTransferSyntax.ExplicitVRBigEndian))));
        Assert.That(back.TransferSyntax, Is.EqualTo(DicomTransferSyntax.ExplicitVRBigEndian));
        Assert.That(back.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID), Is.EqualTo("1.2.3.4"));
        Assert.That(back.FileMetaInfo.GetString(DicomTags.MediaStorageSOPClassUID), Is.EqualTo("1.2.840.10008.5.1.4.1.1.7"));
        Assert.That(back.FileMetaInfo.GetString(DicomTags.ImplementationClassUID), Is.EqualTo(DicomFile.ImplementationClassUid));
        Assert.That(back.Preamble, Has.Length.EqualTo(128));
        Assert.That(back.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"));
    }

    [TestCase("1.2.840.10008.1.2")]
    [TestCase("1.2.840.10008.1.2.1")]
    [TestCase("1.2.840.10008.1.2.2")]
    [TestCase("1.2.840.10008.1.2.1.99")]
    public void File_round_trips_in_each_uncompressed_transfer_syntax(string uid)
    {
        var syntax = DicomTransferSyntax.Parse(uid);
        var bytes = Save(Sample(syntax));
        var back = DicomFile.Open(new MemoryStream(bytes));
        Assert.That(back.TransferSyntax, Is.EqualTo(syntax));
        Assert.That(back.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"));
        Assert.That(back.DatasetOffset, Is.EqualTo(144 + BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140))));
        var again = new MemoryStream();
        back.Save(again);
        Assert.That(again.ToArray(), Is.EqualTo(bytes), "a file already in canonical form is written back byte for byte");
    }

    [Test]
    public void File_without_preamble_and_meta_is_read_with_its_syntax_detected()
    {
        var ds = Sample(DicomTransferSyntax.ExplicitVRLittleEndian).Dataset;
        foreach (var syntax in new[] { DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian })
        {
            var back = DicomFile.Open(new MemoryStream(Write(ds, syntax)));
            Assert.That(back.HadNoMeta, Is.True);
            Assert.That(back.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"), syntax.Name);
        }
    }

    [Test]
    public void Header_only_read_stops_before_pixel_data()
    {
        var file = Sample(DicomTransferSyntax.ExplicitVRLittleEndian);
        file.Dataset.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, new ushort[] { 1, 2 });
        file.Dataset.AddOrUpdate(new DicomTag(0xFFFC, 0xFFFC), DicomVR.OB, new byte[] { 0, 0 });
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, Save(file));
            var header = DicomFile.OpenHeader(path);
            Assert.That(header.IsHeaderOnly, Is.True);
            Assert.That(header.Dataset.Contains(DicomTags.PixelData), Is.False);
            Assert.That(header.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"));
            Assert.That(DicomFile.Open(path).Dataset.Contains(DicomTags.PixelData), Is.True);
        }
        finally { File.Delete(path); }
    }
}
