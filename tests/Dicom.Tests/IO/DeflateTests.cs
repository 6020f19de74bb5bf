using System.IO.Compression;
using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §A.5: Deflated Explicit VR Little Endian: the dataset after the meta is raw deflate (RFC 1951) of its Explicit VR LE encoding.</summary>
[TestFixture, Category("Encoding")]
public sealed class DeflateTests
{
    [Test]
    public void Deflated_dataset_is_raw_deflate_of_explicit_little_endian_and_round_trips()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4");
        ds.AddOrUpdate(DicomTags.PatientName, "Doe^John");
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.CodeValue, "X");
        ds.Add(new DicomSequence(DicomTags.ConceptNameCodeSequence, item) { HadUndefinedLength = true });
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, Enumerable.Range(0, 50_000).Select(i => (ushort)(i % 300)).ToArray());
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        var ms = new MemoryStream();
        file.Save(ms);
        var bytes = ms.ToArray();

        var back = DicomFile.Open(new MemoryStream(bytes));
        Assert.That(back.TransferSyntax, Is.EqualTo(DicomTransferSyntax.DeflatedExplicitVRLittleEndian));
        Assert.That(back.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"));
        Assert.That(back.Dataset.GetSequence(DicomTags.ConceptNameCodeSequence).Items[0].GetString(DicomTags.CodeValue), Is.EqualTo("X"));
        Assert.That(back.Dataset.GetValues<ushort>(DicomTags.PixelData), Is.EqualTo(ds.GetValues<ushort>(DicomTags.PixelData)));

        using var inflate = new DeflateStream(new MemoryStream(bytes, (int)back.DatasetOffset, bytes.Length - (int)back.DatasetOffset), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        inflate.CopyTo(inflated);
        Assert.That(ToHex(inflated.ToArray()), Is.EqualTo(ToHex(Write(ds, DicomTransferSyntax.ExplicitVRLittleEndian))));
    }

    [Test]
    public void Deflated_file_on_disk_keeps_large_values_readable()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4");
        ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, Enumerable.Range(0, 200_000).Select(i => (ushort)i).ToArray());
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        var path = Path.GetTempFileName();
        try
        {
            file.Save(path);
            var back = DicomFile.Open(path);
            Assert.That(back.Dataset.GetValues<ushort>(DicomTags.PixelData), Is.EqualTo(ds.GetValues<ushort>(DicomTags.PixelData)));
        }
        finally { File.Delete(path); }
    }
}
