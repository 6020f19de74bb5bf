using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>The direct File Meta encoder writes exactly what the general writer writes, and declines what it cannot.</summary>
[TestFixture]
public sealed class FileMetaWriterTests
{
    private static byte[] General(string sopClass, string sopInstance, string syntax, string? ae)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomFile.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomFile.ImplementationVersionName);
        if (!string.IsNullOrEmpty(ae)) meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, ae);
        var file = new DicomFile(new DicomDataset(), meta);
        using var ms = new MemoryStream();
        file.Save(ms);
        return ms.ToArray();
    }

    [TestCase("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", "1.2.840.10008.1.2.1", "STORESCU")]
    [TestCase("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.56", "1.2.840.10008.1.2", "BENCH")]
    [TestCase("1.2.840.10008.5.1.4.1.1.88.22", "2.25.211525119823044484083243878767506516008", "1.2.840.10008.1.2.4.50", "")]
    [TestCase("1.2.840.10008.5.1.4.1.1.7", "1.2.3", "1.2.840.10008.1.2.1", null)]
    [TestCase("1.2.840.10008.5.1.4.1.1.2", "1.2.3.4.5", "1.2.840.10008.1.2.1", "A SIXTEEN CHAR A")]
    public void Writes_the_same_bytes_as_the_general_writer(string sopClass, string sopInstance, string syntax, string? ae)
    {
        var expected = General(sopClass, sopInstance, syntax, ae);
        var buffer = new byte[DicomFileMetaWriter.MaxLength];
        int n = DicomFileMetaWriter.TryWrite(buffer, sopClass, sopInstance, syntax, ae);
        Assert.That(buffer[..n], Is.EqualTo(expected));
        // And it reads back as a Part 10 header with those values.
        var back = DicomFile.Open(new MemoryStream(buffer[..n]));
        Assert.That(back.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID), Is.EqualTo(sopInstance));
        Assert.That(back.FileMetaInfo.GetString(DicomTags.TransferSyntaxUID), Is.EqualTo(syntax));
    }

    [TestCase("1.2.3\\4", "STORESCU")]        // a delimiter: two values
    [TestCase("1.2.3", "SEVENTEEN CHARS AE")] // longer than AE allows
    [TestCase("1.2.3", " LEADING")]           // a space the general writer would trim
    [TestCase("1.2.3.é", "STORESCU")]          // not ASCII
    public void Declines_values_it_does_not_write_as_they_are(string sopInstance, string ae)
    {
        var buffer = new byte[DicomFileMetaWriter.MaxLength];
        Assert.That(DicomFileMetaWriter.TryWrite(buffer, "1.2.840.10008.5.1.4.1.1.2", sopInstance, "1.2.840.10008.1.2.1", ae), Is.EqualTo(0));
        Assert.That(buffer, Is.All.EqualTo((byte)0), "nothing written");
    }
}
