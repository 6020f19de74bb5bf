using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>A read that stops at a tag takes from its stream about what it parses, not a whole buffer of pixel data.</summary>
[TestFixture]
public sealed class HeaderReadTests
{
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count) { int n = inner.Read(buffer, offset, count); BytesRead += n; return n; }
        public override int Read(Span<byte> buffer) { int n = inner.Read(buffer); BytesRead += n; return n; }
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] CtSlice()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        ds.AddOrUpdate(DicomTags.PatientName, DicomVR.PN, "HEADER^ONLY");
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)256);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)256);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[256 * 256 * 2]);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, "TEST");
        using var ms = new MemoryStream();
        file.Save(ms);
        return ms.ToArray();
    }

    [Test]
    public void A_header_read_takes_at_most_16_KiB_from_the_stream_for_a_small_header()
    {
        var bytes = CtSlice();
        var stream = new CountingStream(new MemoryStream(bytes));
        var header = DicomFile.Open(stream, DicomReaderOptions.Default with { StopAtTag = DicomTags.PixelData });
        Assert.That(header.IsHeaderOnly, Is.True);
        Assert.That(header.Dataset.GetString(DicomTags.PatientName), Is.EqualTo("HEADER^ONLY"));
        Assert.That(stream.BytesRead, Is.LessThanOrEqualTo(16 * 1024), "one fill of 16 KiB holds this header");

        // A whole read is not limited: every byte is read and the pixel data is there.
        var whole = new CountingStream(new MemoryStream(bytes));
        var file = DicomFile.Open(whole);
        Assert.That(whole.BytesRead, Is.EqualTo(bytes.Length));
        Assert.That(file.Dataset.Contains(DicomTags.PixelData), Is.True);
    }
}
