using System.Diagnostics;
using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>Malformed input gives a <see cref="DicomReadException"/> that names the offset and tag, quickly, and never another exception.</summary>
[TestFixture, Category("BadInput")]
public sealed class BadInputTests
{
    private static DicomReadException Fails(byte[] bytes, DicomReaderOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(new MemoryStream(bytes), options))!;
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)), "bounded time");
        Assert.That(ex.Message, Does.Contain("offset " + ex.Offset));
        return ex;
    }

    private static byte[] Part10(string datasetHex, string syntaxUid = "1.2.840.10008.1.2.1")
    {
        var meta = new DicomDataset();
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntaxUid);
        var ms = new MemoryStream();
        ms.Write(new byte[128]);
        ms.Write("DICM"u8);
        var metaBytes = Write(meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        ms.Write(Hex($"0200 0000 'UL' 0400 {metaBytes.Length:X2}000000"));
        ms.Write(metaBytes);
        ms.Write(Hex(datasetHex));
        return ms.ToArray();
    }

    [Test]
    public void Empty_file_is_refused()
    {
        var ex = Fails([]);
        Assert.That(ex.Message, Does.Contain("empty"));
    }

    [Test]
    public void Garbage_after_the_preamble_is_refused()
    {
        var bytes = new byte[128 + 4 + 64];
        "DICM"u8.CopyTo(bytes.AsSpan(128));
        for (int i = 132; i < bytes.Length; i++) bytes[i] = (byte)(i * 37 + 11);
        Fails(bytes);
    }

    [Test]
    public void Value_length_past_the_end_names_the_element_and_offset()
    {
        var bytes = Part10("1000 1000 'PN' 6400 'Doe^John'");
        var ex = Fails(bytes);
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PatientName));
        Assert.That(ex.Message, Does.Contain("(0010,0010)").And.Contain("past the end"));
        Assert.That(ex.Offset, Is.GreaterThan(132));
    }

    [Test]
    public void Truncated_file_fails_at_every_cut_inside_an_element()
    {
        var full = Part10("0800 6000 'CS' 0200 'CT'  1000 1000 'PN' 0800 'Doe^John'  2800 1000 'US' 0200 0002  E07F 1000 'OW' 0000 08000000 0100020003000400");
        int datasetStart = full.Length - 56; // 10 + 16 + 10 + 20 bytes of elements
        int[] boundaries = [datasetStart, datasetStart + 10, datasetStart + 26, datasetStart + 36, full.Length];
        for (int cut = datasetStart; cut < full.Length; cut++)
        {
            var bytes = full[..cut];
            if (boundaries.Contains(cut))
            {
                Assert.DoesNotThrow(() => DicomFile.Open(new MemoryStream(bytes)), $"cut at element boundary {cut}");
                continue;
            }
            var ex = Fails(bytes);
            Assert.That(ex.Message, Does.Contain("end of").Or.Contain("past the end"), $"cut at {cut}");
        }
    }

    [Test]
    public void Truncated_meta_is_refused()
    {
        var full = Part10("1000 1000 'PN' 0800 'Doe^John'");
        Fails(full[..140]);
    }

    [Test]
    public void Odd_length_is_refused_by_default_and_accepted_when_allowed()
    {
        var bytes = Part10("1000 1000 'PN' 0300 'Doe' 2800 1000 'US' 0200 0002");
        var ex = Fails(bytes);
        Assert.That(ex.Message, Does.Contain("odd value length 3"));
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.PatientName));
        var ds = DicomFile.Open(new MemoryStream(bytes), DicomReaderOptions.Default with { AllowOddLengths = true }).Dataset;
        Assert.That(ds.GetString(DicomTags.PatientName), Is.EqualTo("Doe"));
        Assert.That(ds.GetSingleValue<ushort>(DicomTags.Rows), Is.EqualTo(512));
    }

    [TestCase("1000 1000 FFFFFFFF 'Doe^John'", "1.2.840.10008.1.2", "undefined length")]
    [TestCase("0900 1010 'UT' 0000 FFFFFFFF 'Doe^John'", "1.2.840.10008.1.2.1", "undefined length")]
    [TestCase("0900 1010 'UL' 0000 FFFFFFFF", "1.2.840.10008.1.2.1", "")]
    public void Undefined_length_where_not_allowed_is_refused(string hex, string syntax, string reason)
    {
        var ex = Fails(Part10(hex, syntax));
        Assert.That(ex.Message, Does.Contain(reason));
    }

    [Test]
    public void Defined_length_item_that_overruns_its_sequence_is_refused()
    {
        var ex = Fails(Part10("0800 4011 'SQ' 0000 10000000  FEFF 00E0 20000000  0800 5511 'UI' 0400 '1.2' 00  0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000"));
        Assert.That(ex.Message, Does.Contain("enclosing"));
    }

    [Test]
    public void Item_delimiter_outside_an_item_is_refused()
    {
        var ex = Fails(Part10("FEFF 0DE0 00000000"));
        Assert.That(ex.Message, Does.Contain("item"));
    }

    [Test]
    public void Undefined_length_sequence_without_delimiter_is_refused()
    {
        var ex = Fails(Part10("0800 4011 'SQ' 0000 FFFFFFFF  FEFF 00E0 FFFFFFFF  0800 5511 'UI' 0400 '1.2' 00"));
        Assert.That(ex.Message, Does.Contain("end"));
    }

    [Test]
    public void Declared_length_of_0xFFFFFFF0_on_a_1_KB_file_is_refused()
    {
        var hex = "0900 1010 'OB' 0000 F0FFFFFF " + string.Concat(Enumerable.Repeat("00", 1024));
        var ex = Fails(Part10(hex));
        Assert.That(ex.Message, Does.Contain("4294967280").And.Contain("past the end"));
        Assert.That(ex.Tag, Is.EqualTo(new DicomTag(0x0009, 0x1010)));
    }

    [Test]
    public void Declared_length_of_0xFFFFFFF0_on_a_non_seekable_stream_is_refused()
    {
        var hex = "0900 1010 'OB' 0000 F0FFFFFF " + string.Concat(Enumerable.Repeat("00", 1024));
        using var stream = new NonSeekableStream(Hex(hex));
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(stream, DicomTransferSyntax.ExplicitVRLittleEndian))!;
        Assert.That(ex.Message, Does.Contain("end of data"), ex.Message);
        Assert.That(ex.Tag, Is.EqualTo(new DicomTag(0x0009, 0x1010)));
    }

    [Test]
    public void Ten_thousand_nested_sequences_are_refused_at_the_depth_limit()
    {
        var ex = Fails(DeepSequences.Build(10_000));
        Assert.That(ex.Message, Does.Contain("nested deeper than 64"));
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ContentSequence));
    }

    [Test]
    public void Nesting_up_to_the_limit_is_read()
    {
        var ds = DicomFile.Open(new MemoryStream(DeepSequences.Build(64))).Dataset;
        int depth = 0;
        for (var current = ds; current.TryGetSequence(DicomTags.ContentSequence, out var sq) && sq.Items.Count > 0; current = sq.Items[0]) depth++;
        Assert.That(depth, Is.EqualTo(64));
    }

    [Test]
    public void Invalid_VR_in_explicit_VR_is_refused_with_its_bytes()
    {
        var ex = Fails(Part10("1000 1000 'ZZ' 0800 'Doe^John'"));
        Assert.That(ex.Message, Does.Contain("'ZZ'"));
    }

    [Test]
    public void Any_single_corrupted_byte_gives_a_DicomReadException_or_a_dataset_never_another_exception()
    {
        var item = "FEFF 00E0 FFFFFFFF  0800 5511 'UI' 0400 '1.2' 00  FEFF 0DE0 00000000";
        var original = Part10($"0800 0500 'CS' 0A00 'ISO_IR 100'  0800 4011 'SQ' 0000 FFFFFFFF {item} FEFF DDE0 00000000  1000 1000 'PN' 0800 'Doe^John'  "
            + "2800 1000 'US' 0200 0002  E07F 1000 'OB' 0000 FFFFFFFF FEFF 00E0 00000000 FEFF 00E0 04000000 01020304 FEFF DDE0 00000000");
        var sw = Stopwatch.StartNew();
        var unexpected = new List<string>();
        foreach (byte value in new byte[] { 0x00, 0xFF, 0x01, 0x80 })
        {
            for (int i = 128; i < original.Length; i++)
            {
                var bytes = (byte[])original.Clone();
                bytes[i] = value;
                try { DicomFile.Open(new MemoryStream(bytes)); }
                catch (DicomReadException) { }
                catch (Exception ex) { unexpected.Add($"byte {i} = {value:X2}: {ex.GetType().Name}: {ex.Message}"); }
            }
        }
        Assert.That(unexpected, Is.Empty, string.Join("\n", unexpected.Take(10)));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    private sealed class NonSeekableStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
