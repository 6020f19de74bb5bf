using EdgeCancer.Dicom.IO.Buffers;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §A.4: encapsulated Pixel Data is OB of undefined length: a Basic Offset Table item, fragment items, a sequence delimiter.</summary>
[TestFixture, Category("Encoding")]
public sealed class EncapsulatedPixelDataTests
{
    private const string EmptyTable = "E07F 1000 'OB' 0000 FFFFFFFF  FEFF 00E0 00000000  FEFF 00E0 04000000 FFD8FFD9  FEFF 00E0 02000000 ABCD  FEFF DDE0 00000000";
    private const string TwoFrameTable = "E07F 1000 'OB' 0000 FFFFFFFF  FEFF 00E0 08000000 00000000 0C000000  FEFF 00E0 04000000 FFD8FFD9  FEFF 00E0 02000000 ABCD  FEFF DDE0 00000000";

    [TestCase(EmptyTable, new uint[0])]
    [TestCase(TwoFrameTable, new uint[] { 0, 12 })]
    public void Encapsulated_pixel_data_round_trips_byte_for_byte(string hex, uint[] offsets)
    {
        var bytes = Hex(hex);
        var ds = Read(bytes, DicomTransferSyntax.RLELossless);
        var f = (DicomFragmentSequence)ds.GetItem(DicomTags.PixelData)!;
        Assert.That(f.VR, Is.EqualTo(DicomVR.OB));
        Assert.That(f.GetBasicOffsets(), Is.EqualTo(offsets));
        Assert.That(f.Fragments, Has.Count.EqualTo(2));
        Assert.That(ToHex(f.Fragments[0].Memory.Span), Is.EqualTo("FFD8FFD9"));
        Assert.That(ToHex(f.Fragments[1].Memory.Span), Is.EqualTo("ABCD"));
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.RLELossless)), Is.EqualTo(ToHex(bytes)));
    }

    [Test]
    public void Encapsulated_pixel_data_in_implicit_VR_is_read_as_fragments()
    {
        var ds = Read(Hex("E07F 1000 FFFFFFFF  FEFF 00E0 00000000  FEFF 00E0 02000000 0102  FEFF DDE0 00000000"), DicomTransferSyntax.ImplicitVRLittleEndian);
        Assert.That(ds.GetItem(DicomTags.PixelData), Is.TypeOf<DicomFragmentSequence>());
    }

    [Test]
    public void Written_encapsulated_pixel_data_has_an_offset_table_item_even_when_empty()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, MemoryByteBuffer.Empty,
            [new MemoryByteBuffer(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }), new MemoryByteBuffer(new byte[] { 0xAB, 0xCD })]));
        Assert.That(ToHex(Write(ds, DicomTransferSyntax.RLELossless)), Is.EqualTo(ToHex(Hex(EmptyTable))));
    }
}
