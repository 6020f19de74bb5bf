using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.IO.Buffers;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>Reading bad or huge input allocates a bounded amount of memory: lengths are checked before allocation and large values stay in their file.</summary>
[TestFixture, Category("BadInput"), NonParallelizable]
public sealed class MemoryBoundTests
{
    private const long FewMegabytes = 4L << 20;

    [OneTimeSetUp]
    public void WarmUp()
    {
        // The dictionary and pools are built once per process; don't count them.
        _ = DicomDictionary.Find(DicomTags.PatientName);
        _ = DicomDictionary.FindPrivate("GEMS_IDEN_01", new DicomTag(0x0009, 0x1027));
        try { DicomFile.Open(new MemoryStream(DeepSequences.Build(3))); } catch (DicomReadException) { }
    }

    private static long AllocatedBy(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Test]
    public void Lying_length_of_0xFFFFFFF0_allocates_only_a_few_MB()
    {
        var path = Path.GetTempFileName();
        try
        {
            var ms = new MemoryStream();
            ms.Write(new byte[128]);
            ms.Write("DICM"u8);
            ms.Write(Hex("0200 0000 'UL' 0400 1C000000  0200 1000 'UI' 1400 '1.2.840.10008.1.2.1' 00  0900 1010 'OB' 0000 F0FFFFFF"));
            ms.Write(new byte[1024 - ms.Length]);
            File.WriteAllBytes(path, ms.ToArray());
            long allocated = AllocatedBy(() => Assert.Throws<DicomReadException>(() => DicomFile.Open(path)));
            Assert.That(allocated, Is.LessThan(FewMegabytes));

            // The same bytes through a non-seekable stream, whose length the reader cannot know in advance.
            var bytes = File.ReadAllBytes(path);
            allocated = AllocatedBy(() => Assert.Throws<DicomReadException>(() => DicomFile.Open(new System.IO.Compression.GZipStream(Gzip(bytes), System.IO.Compression.CompressionMode.Decompress))));
            Assert.That(allocated, Is.LessThan(FewMegabytes));
        }
        finally { File.Delete(path); }
    }

    private static MemoryStream Gzip(byte[] bytes)
    {
        var ms = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(ms, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        ms.Position = 0;
        return ms;
    }

    [Test]
    public void Ten_thousand_nested_sequences_allocate_only_a_few_MB()
    {
        var bytes = DeepSequences.Build(10_000);
        long allocated = AllocatedBy(() => Assert.Throws<DicomReadException>(() => DicomFile.Open(new MemoryStream(bytes))));
        Assert.That(allocated, Is.LessThan(FewMegabytes));
    }

    [Test]
    public void Opening_a_1_GB_file_keeps_pixel_data_in_the_file()
    {
        const long pixelBytes = 1L << 30;
        var path = Path.GetTempFileName();
        try
        {
            using (var fs = new FileStream(path, FileMode.Create, FileAccess.Write))
            {
                fs.Write(new byte[128]);
                fs.Write("DICM"u8);
                fs.Write(Hex("0200 0000 'UL' 0400 1C000000  0200 1000 'UI' 1400 '1.2.840.10008.1.2.1' 00"));
                fs.Write(Hex("1000 1000 'PN' 0800 'Doe^John'  2800 1000 'US' 0200 0040  E07F 1000 'OW' 0000 00000040"));
                long pixelStart = fs.Position;
                fs.SetLength(pixelStart + pixelBytes); // sparse: no 1 GB written
            }

            DicomFile? file = null;
            long allocated = AllocatedBy(() => file = DicomFile.Open(path));
            Assert.That(allocated, Is.LessThan(FewMegabytes));
            var pixels = file!.Dataset.GetElement(DicomTags.PixelData);
            Assert.That(pixels.Buffer, Is.TypeOf<FileByteBuffer>());
            Assert.That(pixels.Length, Is.EqualTo(pixelBytes));
            Assert.That(file.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("Doe^John"));
        }
        finally { File.Delete(path); }
    }
}
