using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §7.5: sequences and items of defined length, and of undefined length closed by delimitation items.</summary>
[TestFixture, Category("Encoding")]
public sealed class SequenceEncodingTests
{
    private static DicomDataset WithOneItem(bool undefined)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, "1.2");
        var ds = new DicomDataset();
        ds.Add(new DicomSequence(DicomTags.ReferencedImageSequence, item) { HadUndefinedLength = undefined });
        return ds;
    }

    // Item: (0008,1155) UI "1.2" padded to 4 -> 8 + 4 = 12 bytes explicit; item header 8 -> sequence value 20.
    private const string DefinedExplicit = "0800 4011 'SQ' 0000 14000000  FEFF 00E0 0C000000  0800 5511 'UI' 0400 '1.2' 00";
    private const string UndefinedExplicit = "0800 4011 'SQ' 0000 FFFFFFFF  FEFF 00E0 FFFFFFFF  0800 5511 'UI' 0400 '1.2' 00  FEFF 0DE0 00000000  FEFF DDE0 00000000";
    private const string DefinedImplicit = "0800 4011 14000000  FEFF 00E0 0C000000  0800 5511 04000000 '1.2' 00";
    private const string UndefinedImplicit = "0800 4011 FFFFFFFF  FEFF 00E0 FFFFFFFF  0800 5511 04000000 '1.2' 00  FEFF 0DE0 00000000  FEFF DDE0 00000000";

    [TestCase(false, true, DefinedExplicit)]
    [TestCase(true, true, UndefinedExplicit)]
    [TestCase(false, false, DefinedImplicit)]
    [TestCase(true, false, UndefinedImplicit)]
    public void Sequence_is_written_and_read_as_in_PS3_5_section_7_5(bool undefined, bool explicitVR, string hex)
    {
        var syntax = explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
        Assert.That(ToHex(Write(WithOneItem(undefined), syntax)), Is.EqualTo(ToHex(Hex(hex))));

        var back = Read(Hex(hex), syntax);
        var sq = back.GetSequence(DicomTags.ReferencedImageSequence);
        Assert.That(sq.HadUndefinedLength, Is.EqualTo(undefined));
        Assert.That(sq.Items, Has.Count.EqualTo(1));
        Assert.That(sq.Items[0].GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo("1.2"));
    }

    [Test]
    public void Writer_can_force_defined_lengths()
    {
        var bytes = Write(WithOneItem(undefined: true), DicomTransferSyntax.ExplicitVRLittleEndian, new DicomWriteOptions { SequenceLengths = DicomSequenceLengthMode.Defined });
        Assert.That(ToHex(bytes), Is.EqualTo(ToHex(Hex(DefinedExplicit))));
    }

    [Test]
    public void Empty_sequences_and_empty_items_read_in_both_forms()
    {
        var ds = Read(Hex("0800 4011 'SQ' 0000 FFFFFFFF FEFF DDE0 00000000  0800 4021 'SQ' 0000 08000000 FEFF 00E0 00000000"), DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.That(ds.GetSequence(DicomTags.ReferencedImageSequence).Items, Is.Empty);
        Assert.That(ds.GetSequence(new DicomTag(0x0008, 0x2140)).Items.Single().Count, Is.Zero);
    }

    [Test]
    public void Nested_sequences_items_inherit_nothing_but_read_in_order()
    {
        var inner = new DicomDataset();
        inner.AddOrUpdate(DicomTags.CodeValue, "T-04000");
        var middle = new DicomDataset();
        middle.Add(new DicomSequence(DicomTags.ConceptNameCodeSequence, inner));
        var ds = new DicomDataset();
        ds.Add(new DicomSequence(DicomTags.ContentSequence, middle, middle.Clone()));
        foreach (var syntax in new[] { DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian })
        {
            var back = Read(Write(ds, syntax), syntax);
            var items = back.GetSequence(DicomTags.ContentSequence).Items;
            Assert.That(items, Has.Count.EqualTo(2), syntax.Name);
            Assert.That(items[1].GetSequence(DicomTags.ConceptNameCodeSequence).Items[0].GetString(DicomTags.CodeValue), Is.EqualTo("T-04000"), syntax.Name);
        }
    }
}
