using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>
/// Regressions: an element inside an undefined-length item was checked only against that item, not against the
/// defined-length sequence around it; and such an item could continue past the end of that sequence.
/// </summary>
[TestFixture, Category("BadInput")]
public sealed class ContainerLengthTests
{
    [Test]
    public void Element_running_past_an_outer_defined_length_sequence_is_refused_at_that_element()
    {
        // The sequence claims 16 bytes; inside its undefined-length item, (0008,1155) claims 32 bytes.
        var bytes = Hex("0800 4011 'SQ' 0000 10000000  FEFF 00E0 FFFFFFFF  0800 5511 'UI' 2000 " + string.Concat(Enumerable.Repeat("31", 32))
            + " FEFF 0DE0 00000000  1000 1000 'PN' 0400 'Doe '");
        var ex = Assert.Throws<DicomReadException>(() => Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian))!;
        Assert.That(ex.Tag, Is.EqualTo(DicomTags.ReferencedSOPInstanceUID));
        Assert.That(ex.Message, Does.Contain("enclosing"));
    }

    [Test]
    public void Undefined_length_item_not_closed_within_its_defined_length_sequence_is_refused()
    {
        // The sequence (16 bytes) holds an undefined-length item whose delimiter comes only after the sequence's end.
        var bytes = Hex("0800 4011 'SQ' 0000 10000000  FEFF 00E0 FFFFFFFF  0800 5511 'UI' 0000  FEFF 0DE0 00000000  1000 1000 'PN' 0400 'Doe '");
        var ex = Assert.Throws<DicomReadException>(() => Read(bytes, DicomTransferSyntax.ExplicitVRLittleEndian))!;
        Assert.That(ex.Message, Does.Contain("not closed"));
        Assert.That(ex.Offset, Is.EqualTo(12 + 16));
    }
}
