using EdgeCancer.Scp.Storage;

namespace EdgeCancer.Scp.Tests.Archive;

[Category("Archive")]
public sealed class StagingStreamTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ec-staging").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [TestCase(true)]
    [TestCase(false)]
    public async Task The_running_CRC_is_kept_only_when_asked_for(bool computeCrc)
    {
        var path = Path.Combine(_dir, "crc.part");
        var data = new byte[70_000];
        new Random(9).NextBytes(data);
        await using var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 4096, prefixCapacity: 100, computeCrc);
        await stream.WriteAsync(data.AsMemory(0, 123));
        await stream.WriteAsync(data.AsMemory(123));
        // The write-once journal's records need it; fast mode and the data journal do not pay for it.
        Assert.That(stream.Crc, Is.EqualTo(computeCrc ? Crc32C.Append(0, data) : 0u));
    }

    [Test]
    public async Task Writes_every_byte_in_order_and_keeps_the_first_bytes_in_memory()
    {
        var path = Path.Combine(_dir, "a.part");
        var data = new byte[300_000];
        new Random(5).NextBytes(data);
        var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 8192, prefixCapacity: 1000);
        // Writes smaller than, equal to and larger than the buffer, as PDVs of any size arrive.
        int[] sizes = [100, 8192, 7, 50_000, 1, 8000, 120_000];
        int at = 0, k = 0;
        while (at < data.Length)
        {
            int n = Math.Min(sizes[k++ % sizes.Length], data.Length - at);
            await stream.WriteAsync(data.AsMemory(at, n));
            at += n;
            Assert.That(stream.Length, Is.EqualTo(at));
        }
        Assert.That(stream.Prefix.ToArray(), Is.EqualTo(data[..1000]));
        Assert.That(stream.PrefixIsWholeFile, Is.False);
        stream.Flush();
        Assert.That(new FileInfo(path).Length, Is.EqualTo(data.Length), "Flush writes the buffered tail");
        await stream.DisposeAsync();
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(data));
    }

    // A PDU's worth of data set (128 KiB from DCMTK) goes to the file in one call, not in buffer-sized pieces: nine
    // writes per 512x512 slice became five (benchmarks/README.md, run I). Larger spans go in pieces of MaxDirectWrite.
    // This thread's own counters in /proc count the write system calls and their bytes.
    [TestCase(5 * 8192 + 100, 1)]
    [TestCase(2 * StagingStream.MaxDirectWrite + 12345, 3)]
    public void A_span_larger_than_the_buffer_reaches_the_file_whole_from_where_it_is(int length, int writes)
    {
        var path = Path.Combine(_dir, "d.part");
        var data = new byte[length];
        new Random(3).NextBytes(data);
        using var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 8192, prefixCapacity: 16);
        var (calls0, bytes0) = ThreadWrites();
        stream.Write(data);
        var (calls1, bytes1) = ThreadWrites();
        Assert.That(calls1 - calls0, Is.EqualTo(writes));
        Assert.That(bytes1 - bytes0, Is.EqualTo(data.Length), "nothing is left in the buffer");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(data));
    }

    private static (long Calls, long Bytes) ThreadWrites()
    {
        long calls = 0, bytes = 0;
        foreach (var line in File.ReadLines("/proc/thread-self/io"))
        {
            if (line.StartsWith("syscw:", StringComparison.Ordinal)) calls = long.Parse(line[6..]);
            else if (line.StartsWith("wchar:", StringComparison.Ordinal)) bytes = long.Parse(line[6..]);
        }
        return (calls, bytes);
    }

    [Test]
    public void Buffered_bytes_and_the_next_large_span_reach_the_file_in_one_write_without_copying_the_span()
    {
        // A PDV's small first piece is buffered; the PDU-sized span after it is written from where it is, together
        // with the buffered bytes, in one pwritev.
        var path = Path.Combine(_dir, "g.part");
        var data = new byte[300 + 3 * 8192];
        new Random(4).NextBytes(data);
        using var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 8192, prefixCapacity: 16);
        var (calls0, bytes0) = ThreadWrites();
        stream.Write(data.AsSpan(0, 300));
        var (calls1, _) = ThreadWrites();
        Assert.That(calls1 - calls0, Is.EqualTo(0), "300 bytes are kept in the buffer");
        stream.Write(data.AsSpan(300));
        var (calls2, bytes2) = ThreadWrites();
        Assert.That(calls2 - calls0, Is.EqualTo(1), "the 300 buffered bytes and the whole span in one call");
        Assert.That(bytes2 - bytes0, Is.EqualTo(data.Length));
        Assert.That(stream.Length, Is.EqualTo(data.Length));
        Assert.That(new FileInfo(path).Length, Is.EqualTo(data.Length), "nothing is left in the buffer");
        stream.Flush();
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(data));
    }

    [Test]
    public void Disposing_discards_unflushed_bytes_instead_of_writing_them()
    {
        var path = Path.Combine(_dir, "c.part");
        var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 4096, prefixCapacity: 16);
        // 3,600 buffered, then the fifth piece does not fit: 4,500 written in one call; then 900 buffered again.
        for (int i = 0; i < 5; i++) stream.Write(new byte[900]);
        Assert.That(new FileInfo(path).Length, Is.EqualTo(4500));
        for (int i = 0; i < 3; i++) stream.Write(new byte[300]);
        Assert.That(stream.Length, Is.EqualTo(5400));
        stream.Dispose();
        Assert.That(new FileInfo(path).Length, Is.EqualTo(4500));
    }

    [Test]
    public void A_file_shorter_than_the_prefix_is_wholly_in_memory()
    {
        var path = Path.Combine(_dir, "b.part");
        using var stream = new StagingStream(File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write), bufferSize: 4096, prefixCapacity: 65536);
        stream.Write("DICM and a little more"u8);
        Assert.That(stream.PrefixIsWholeFile, Is.True);
        Assert.That(stream.Prefix.ToArray(), Is.EqualTo("DICM and a little more"u8.ToArray()));
    }

    // The prefix is for the header: it stops after the element header of Pixel Data, wherever the PDVs split the file,
    // instead of copying up to the capacity of pixels per slice; the header parses from it alone.
    [TestCase(1_000_000)]
    [TestCase(16_384)]
    [TestCase(1_000)]
    [TestCase(7)]
    public async Task The_prefix_ends_after_the_element_header_of_Pixel_Data(int piece)
    {
        var ds = new EdgeCancer.Dicom.DicomDataset();
        ds.AddOrUpdate(EdgeCancer.Dicom.DicomTags.SOPClassUID, EdgeCancer.Dicom.DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(EdgeCancer.Dicom.DicomTags.SOPInstanceUID, EdgeCancer.Dicom.DicomVR.UI, "1.2.3.4.5");
        ds.AddOrUpdate(EdgeCancer.Dicom.DicomTags.PatientName, EdgeCancer.Dicom.DicomVR.PN, "PREFIX^TEST");
        ds.AddOrUpdateBytes(EdgeCancer.Dicom.DicomTags.PixelData, EdgeCancer.Dicom.DicomVR.OW, new byte[200_000]);
        var file = new EdgeCancer.Dicom.IO.DicomFile(ds);
        file.EnsureFileMetaInfo(EdgeCancer.Dicom.DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        using var ms = new MemoryStream();
        file.Save(ms);
        var bytes = ms.ToArray();
        int pixelData = bytes.AsSpan().IndexOf(new byte[] { 0xE0, 0x7F, 0x10, 0x00 });

        await using var stream = new StagingStream(File.OpenHandle(Path.Combine(_dir, $"p{piece}.part"), FileMode.CreateNew, FileAccess.Write), bufferSize: 8192, prefixCapacity: 64 * 1024, computeCrc: false);
        for (int at = 0; at < bytes.Length; at += piece) await stream.WriteAsync(bytes.AsMemory(at, Math.Min(piece, bytes.Length - at)));

        // A piece of 7 bytes splits the tag between two writes: then the prefix fills up to its capacity, as before.
        int expected = piece == 7 ? 64 * 1024 : pixelData + 12;
        Assert.That(stream.Prefix.ToArray(), Is.EqualTo(bytes[..expected]));
        Assert.That(stream.PrefixIsWholeFile, Is.False);
        var header = EdgeCancer.Dicom.IO.DicomFile.Open(new MemoryStream(stream.Prefix.ToArray()),
            EdgeCancer.Dicom.IO.DicomReaderOptions.Default with { StopAtTag = EdgeCancer.Dicom.DicomTags.PixelData });
        Assert.That(header.IsHeaderOnly, Is.True);
        Assert.That(header.Dataset.GetString(EdgeCancer.Dicom.DicomTags.PatientName), Is.EqualTo("PREFIX^TEST"));
    }
}
