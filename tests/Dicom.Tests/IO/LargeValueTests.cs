using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.IO.Buffers;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>Values larger than the reader's threshold stay in their file and are copied in chunks when written; headers that straddle buffer boundaries read correctly.</summary>
[TestFixture, Category("Encoding")]
public sealed class LargeValueTests
{
    private static DicomFile ImageFile(int pixelBytes)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4");
        var pixels = new byte[pixelBytes];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 31 + (i >> 8));
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, pixels);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian);
        return file;
    }

    [Test]
    public void File_backed_value_is_copied_unchanged_to_a_new_file()
    {
        var a = Path.GetTempFileName();
        var b = Path.GetTempFileName();
        try
        {
            ImageFile(1 << 20).Save(a);
            var opened = DicomFile.Open(a);
            Assert.That(opened.Dataset.GetElement(DicomTags.PixelData).Buffer, Is.TypeOf<FileByteBuffer>());
            opened.Save(b);
            Assert.That(File.ReadAllBytes(b), Is.EqualTo(File.ReadAllBytes(a)));
        }
        finally { File.Delete(a); File.Delete(b); }
    }

    [Test]
    public void Saving_over_the_file_a_dataset_was_opened_from_keeps_its_values_readable()
    {
        var a = Path.GetTempFileName();
        try
        {
            var original = ImageFile(1 << 20);
            original.Save(a);
            var expected = original.Dataset.GetElement(DicomTags.PixelData).Buffer.Memory.ToArray();
            var opened = DicomFile.Open(a);
            opened.Dataset.AddOrUpdate(DicomTags.PatientName, "Someone^With^A^Long^Name");
            opened.Save(a);
            Assert.That(opened.Dataset.GetElement(DicomTags.PixelData).Buffer.Memory.ToArray(), Is.EqualTo(expected), "the opened dataset still reads its own pixels");
            Assert.That(DicomFile.Open(a).Dataset.GetElement(DicomTags.PixelData).Buffer.Memory.ToArray(), Is.EqualTo(expected), "the saved file holds them");
        }
        finally { File.Delete(a); }
    }

    [Test]
    public void Many_elements_of_every_size_cross_buffer_boundaries_and_read_back()
    {
        var ds = new DicomDataset();
        var rng = new Random(42);
        for (int i = 0; i < 600; i++)
        {
            var value = new byte[(i * 397) % 70_000 & ~1];
            rng.NextBytes(value);
            ds.AddOrUpdateBytes(new DicomTag(0x0009, (ushort)(0x1000 + i)), DicomVR.OB, value);
        }
        foreach (var syntax in new[] { DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian })
        {
            var bytes = Write(ds, syntax);
            var path = Path.GetTempFileName();
            try
            {
                File.WriteAllBytes(path, bytes);
                DicomDataset fromFile;
                using (var fs = File.OpenRead(path)) fromFile = DicomFile.ReadDataset(fs, syntax, path: path);
                var fromStream = DicomFile.ReadDataset(new System.IO.Compression.GZipStream(Gzip(bytes), System.IO.Compression.CompressionMode.Decompress), syntax);
                foreach (var back in new[] { fromFile, fromStream })
                {
                    Assert.That(back.Count, Is.EqualTo(ds.Count), syntax.Name);
                    foreach (var item in ds)
                        Assert.That(((DicomElement)back.GetItem(item.Tag)!).Buffer.Memory.Span.SequenceEqual(((DicomElement)item).Buffer.Memory.Span), Is.True, $"{syntax.Name} {item.Tag}");
                }
            }
            finally { File.Delete(path); }
        }
    }

    private static MemoryStream Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        ms.Position = 0;
        return ms;
    }
}
