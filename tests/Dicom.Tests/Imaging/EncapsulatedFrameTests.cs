using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO.Buffers;
using static EdgeCancer.Dicom.Tests.Imaging.SyntheticImages;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>Frames of encapsulated Pixel Data by the rules of PS3.5 A.4.</summary>
[Category("Imaging")]
public class EncapsulatedFrameTests
{
    private static DicomDataset Encapsulated(int frames, byte[] offsetTable, params byte[][] fragments)
    {
        var ds = Create(2, 2, 8, 8, 0, "MONOCHROME2", [0, 0, 0, 0], frames: frames);
        ds.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, new MemoryByteBuffer(offsetTable),
            fragments.Select(f => (IByteBuffer)new MemoryByteBuffer(f))));
        return ds;
    }

    private static DicomPixelData Pixels(DicomDataset ds, DicomTransferSyntax? syntax = null) =>
        DicomPixelData.Create(ds, syntax ?? DicomTransferSyntax.JPEGBaseline8Bit);

    private static byte[] UInt32s(params uint[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    private static byte[] UInt64s(params ulong[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    [Test]
    public void Basic_offset_table_groups_fragments_into_frames()
    {
        // Fragment items: 8-byte header + value; offsets count from the first fragment's item tag.
        byte[] a = [1, 2], b = [3, 4, 5, 6], c = [7, 8];
        var pd = Pixels(Encapsulated(2, UInt32s(0, 8 + 2 + 8 + 4), a, b, c));
        Assert.That(pd.GetFrameBytes(0), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(new byte[] { 7, 8 }));
    }

    [Test]
    public void Extended_offset_table_and_lengths_select_the_frames()
    {
        byte[] a = [1, 2, 0, 0], b = [3, 4];
        var ds = Encapsulated(2, [], a, b);
        ds.AddOrUpdateBytes(DicomTags.ExtendedOffsetTable, DicomVR.OV, UInt64s(0, 8 + 4));
        ds.AddOrUpdateBytes(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, UInt64s(2, 2));
        var pd = Pixels(ds);
        Assert.That(pd.GetFrameBytes(0), Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(new byte[] { 3, 4 }));
    }

    [Test]
    public void Without_offset_table_one_frame_takes_all_fragments()
    {
        var pd = Pixels(Encapsulated(1, [], [1, 2], [3, 4]));
        Assert.That(pd.GetFrameBytes(0), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public void Without_offset_table_each_fragment_is_a_frame_when_counts_match()
    {
        var pd = Pixels(Encapsulated(2, [], [1, 2], [3, 4]));
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(new byte[] { 3, 4 }));
    }

    [Test]
    public void Without_offset_table_jpeg_frames_are_found_by_their_start_of_image_marker()
    {
        byte[] f0a = [0xFF, 0xD8, 0xFF, 0xDB, 1, 1, 1, 1], f0b = [2, 2, 2, 2, 2, 2, 2, 2], f1 = [0xFF, 0xD8, 0xFF, 0xC3, 3, 3, 3, 3];
        var pd = Pixels(Encapsulated(2, [], f0a, f0b, f1));
        Assert.That(pd.GetFrameBytes(0), Is.EqualTo(f0a.Concat(f0b).ToArray()));
        Assert.That(pd.GetFrameBytes(1), Is.EqualTo(f1));
    }

    [Test]
    public void An_offset_table_that_does_not_fit_the_frames_is_named()
    {
        var ex = Assert.Throws<DicomDataException>(() => Pixels(Encapsulated(3, UInt32s(0, 10), [1, 2], [3, 4])).GetFrameBytes(0));
        Assert.That(ex!.Message, Does.Contain("Basic Offset Table").And.Contain("Number of Frames"));
        ex = Assert.Throws<DicomDataException>(() => Pixels(Encapsulated(2, UInt32s(0, 7), [1, 2], [3, 4])).GetFrameBytes(1));
        Assert.That(ex!.Message, Does.Contain("not the start of a fragment item"));
    }

    [Test]
    public void Decodes_through_the_registered_decoder_with_the_frame_description()
    {
        var decoder = new RecordingDecoder();
        var registry = new DicomCodecRegistry([decoder]);
        var pd = Pixels(Encapsulated(2, [], [9, 9], [7, 7]), DicomTransferSyntax.RLELossless);
        Assert.That(pd.DecodeFrame(1, registry), Is.EqualTo(new byte[] { 7, 7, 7, 7 }));
        Assert.That(decoder.Info, Is.EqualTo(new PixelFrameInfo(2, 2, 1, 8, 8, false, 0)));
        Assert.That(pd.GetStoredValues(0, registry), Is.EqualTo(new[] { 9, 9, 9, 9 }));
    }

    [TestCase("1.2.840.10008.1.2.5", typeof(RleFrameDecoder))]
    [TestCase("1.2.840.10008.1.2.4.57", typeof(JpegLosslessFrameDecoder))]
    [TestCase("1.2.840.10008.1.2.4.70", typeof(JpegLosslessFrameDecoder))]
    public void Default_registry_decodes_RLE_and_JPEG_lossless(string uid, Type decoderType)
    {
        var syntax = DicomTransferSyntax.All.Single(ts => ts.Uid.Value == uid);
        Assert.That(DicomCodecRegistry.Default.TryGetDecoder(syntax, out var decoder), Is.True);
        Assert.That(decoder, Is.TypeOf(decoderType));
    }

    [TestCase("1.2.840.10008.1.2.4.50")]
    [TestCase("1.2.840.10008.1.2.4.80")]
    [TestCase("1.2.840.10008.1.2.4.90")]
    [TestCase("1.2.840.10008.1.2.4.201")]
    public void Default_registry_has_no_decoder_for_other_compressed_syntaxes(string uid)
    {
        var syntax = DicomTransferSyntax.All.Single(ts => ts.Uid.Value == uid);
        Assert.That(DicomCodecRegistry.Default.TryGetDecoder(syntax, out _), Is.False);
        var ex = Assert.Throws<DicomCodecException>(() => DicomCodecRegistry.Default.GetDecoder(syntax));
        Assert.That(ex!.Message, Is.EqualTo($"no decoder for {syntax.Name} ({uid})"));
    }

    private sealed class RecordingDecoder : IDicomFrameDecoder
    {
        public PixelFrameInfo Info { get; private set; }

        public bool CanDecode(DicomTransferSyntax syntax) => syntax == DicomTransferSyntax.RLELossless;

        public void Decode(ReadOnlySpan<byte> compressedFrame, PixelFrameInfo info, Span<byte> destination)
        {
            Info = info;
            destination.Fill(compressedFrame[0]);
        }
    }
}
