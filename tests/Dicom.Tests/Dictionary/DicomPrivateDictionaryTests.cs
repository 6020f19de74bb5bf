namespace EdgeCancer.Dicom.Tests.Dictionary;

// Expected values are rows of DCMTK's private.dic, e.g. (0029,"SIEMENS CSA HEADER",10) OB CSAImageHeaderInfo.
[TestFixture, Category("Dictionary")]
public class DicomPrivateDictionaryTests
{
    [Test]
    public void Finds_a_Siemens_CSA_header_element_in_any_block()
    {
        foreach (ushort element in new ushort[] { 0x1010, 0x1110, 0x2010 })
        {
            var e = DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, element));
            Assert.That(e?.Keyword, Is.EqualTo("CSAImageHeaderInfo"), $"(0029,{element:X4})");
            Assert.That(e!.ValueRepresentations, Is.EqualTo(new[] { DicomVR.OB }));
        }
        Assert.That(DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x1020))?.Keyword, Is.EqualTo("CSASeriesHeaderInfo"));
    }

    [Test]
    public void Trims_padding_from_the_creator()
    {
        Assert.That(DicomDictionary.FindPrivate("SIEMENS CSA HEADER ", new DicomTag(0x0029, 0x1008))?.Keyword, Is.EqualTo("CSAImageHeaderType"));
        Assert.That(DicomDictionary.FindPrivate("SIEMENS CSA HEADER\0", new DicomTag(0x0029, 0x1008))?.Keyword, Is.EqualTo("CSAImageHeaderType"));
    }

    [Test]
    public void Matches_the_group_and_the_creator_exactly()
    {
        Assert.That(DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0019, 0x1010)), Is.Null, "wrong group");
        Assert.That(DicomDictionary.FindPrivate("siemens csa header", new DicomTag(0x0029, 0x1010)), Is.Null, "creator is case-sensitive");
        Assert.That(DicomDictionary.FindPrivate("NO SUCH CREATOR", new DicomTag(0x0029, 0x1010)), Is.Null);
        Assert.That(DicomDictionary.FindPrivate("SIEMENS CSA HEADER", new DicomTag(0x0029, 0x0010)), Is.Null, "a creator element is not a data element");
    }

    [Test]
    public void Honours_fixed_element_numbers()
    {
        // (0025,"CMR42 CIRCLECVI",1010) LO WorkspaceID: only in block 10.
        Assert.That(DicomDictionary.FindPrivate("CMR42 CIRCLECVI", new DicomTag(0x0025, 0x1010))?.Keyword, Is.EqualTo("WorkspaceID"));
        Assert.That(DicomDictionary.FindPrivate("CMR42 CIRCLECVI", new DicomTag(0x0025, 0x1110)), Is.Null);
    }

    [Test]
    public void Honours_odd_repeating_private_groups()
    {
        // (6001-o-60ff,"PAPYRUS 3.0",10) US OverlayRows.
        var e = DicomDictionary.FindPrivate("PAPYRUS 3.0", new DicomTag(0x6003, 0x1010));
        Assert.That(e?.Keyword, Is.EqualTo("OverlayRows"));
        Assert.That(e!.ValueRepresentation, Is.EqualTo(DicomVR.US));
    }
}
