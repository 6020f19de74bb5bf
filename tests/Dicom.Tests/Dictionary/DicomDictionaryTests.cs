namespace EdgeCancer.Dicom.Tests.Dictionary;

// Expected values are PS3.6 Table 6-1 rows (and PS3.5 §7.2, §7.8.1 for group lengths and private creators).
[TestFixture, Category("Dictionary")]
public class DicomDictionaryTests
{
    [Test]
    public void Finds_Patients_Name_as_PN_with_VM_1()
    {
        var e = DicomDictionary.Find(new DicomTag(0x0010, 0x0010));
        Assert.That(e, Is.Not.Null);
        Assert.That(e!.Keyword, Is.EqualTo("PatientName"));
        Assert.That(e.Name, Is.EqualTo("Patient's Name"));
        Assert.That(e.ValueRepresentations, Is.EqualTo(new[] { DicomVR.PN }));
        Assert.That(e.ValueMultiplicity, Is.EqualTo("1"));
        Assert.That(e.IsRetired, Is.False);
        Assert.That(e.Mask, Is.EqualTo(0xFFFFFFFFu));
    }

    [Test]
    public void Resolves_overlay_data_in_any_even_60xx_group()
    {
        var e = DicomDictionary.Find(new DicomTag(0x6002, 0x3000));
        Assert.That(e?.Keyword, Is.EqualTo("OverlayData"));
        Assert.That(e!.ValueRepresentations, Is.EqualTo(new[] { DicomVR.OB, DicomVR.OW }));
        Assert.That(e.Tag, Is.EqualTo(new DicomTag(0x6000, 0x3000)));
        Assert.That(e.Mask, Is.EqualTo(0xFF00FFFFu));
        Assert.That(DicomDictionary.Find(new DicomTag(0x60FE, 0x0010))?.Keyword, Is.EqualTo("OverlayRows"));
    }

    [Test]
    public void Does_not_resolve_a_repeating_group_entry_in_an_odd_private_group()
    {
        Assert.That(DicomDictionary.Find(new DicomTag(0x6001, 0x3000)), Is.Null);
        Assert.That(DicomDictionary.GetVR(new DicomTag(0x6001, 0x3000)), Is.EqualTo(DicomVR.UN));
    }

    [Test]
    public void Finds_LUT_data_as_US_or_OW()
    {
        var e = DicomDictionary.Find(new DicomTag(0x0028, 0x3006));
        Assert.That(e?.Keyword, Is.EqualTo("LUTData"));
        Assert.That(e!.ValueRepresentations, Is.EqualTo(new[] { DicomVR.US, DicomVR.OW }));
        Assert.That(e.ValueMultiplicity, Is.EqualTo("1-n"));
    }

    [Test]
    public void Resolves_an_element_range_entry_for_source_image_IDs()
    {
        var e = DicomDictionary.Find(new DicomTag(0x0020, 0x3105));
        Assert.That(e?.Keyword, Is.EqualTo("SourceImageIDs"));
        Assert.That(e!.ValueRepresentation, Is.EqualTo(DicomVR.CS));
        Assert.That(e.IsRetired, Is.True);
        Assert.That(e.Mask, Is.EqualTo(0xFFFFFF00u));
    }

    [Test]
    public void Prefers_an_exact_entry_over_a_repeating_one()
    {
        // (0028,0400) Transform Label is its own entry; (0028,04x0) Rows For Nth Order Coefficients covers (0028,0410).
        Assert.That(DicomDictionary.Find(new DicomTag(0x0028, 0x0400))?.Keyword, Is.EqualTo("TransformLabel"));
        Assert.That(DicomDictionary.Find(new DicomTag(0x0028, 0x0410))?.Keyword, Is.EqualTo("RowsForNthOrderCoefficients"));
        Assert.That(DicomDictionary.Find(new DicomTag(0x7FE0, 0x0010))?.Keyword, Is.EqualTo("PixelData"));
        Assert.That(DicomDictionary.Find(new DicomTag(0x7F02, 0x0010))?.Keyword, Is.EqualTo("VariablePixelData"));
    }

    [Test]
    public void Treats_element_0000_of_any_group_as_group_length()
    {
        foreach (ushort group in new ushort[] { 0x0009, 0x0008, 0x1000, 0x6000 })
        {
            var e = DicomDictionary.Find(new DicomTag(group, 0x0000));
            Assert.That(e?.Name, Is.EqualTo("Group Length"), $"group {group:X4}");
            Assert.That(e!.ValueRepresentations, Is.EqualTo(new[] { DicomVR.UL }));
            Assert.That(e.Matches(new DicomTag(group, 0x0000)), Is.True);
        }
        Assert.That(DicomDictionary.Find(new DicomTag(0x0002, 0x0000))?.Keyword, Is.EqualTo("FileMetaInformationGroupLength"));
        Assert.That(DicomDictionary.Find(new DicomTag(0x0000, 0x0000))?.Keyword, Is.EqualTo("CommandGroupLength"));
    }

    [Test]
    public void Treats_gggg_0010_to_00FF_of_a_private_group_as_private_creator()
    {
        foreach (var tag in new[] { new DicomTag(0x0019, 0x0010), new DicomTag(0x0029, 0x00FF) })
        {
            var e = DicomDictionary.Find(tag);
            Assert.That(e?.Name, Is.EqualTo("Private Creator"));
            Assert.That(e!.ValueRepresentations, Is.EqualTo(new[] { DicomVR.LO }));
            Assert.That(e.Tag, Is.EqualTo(tag));
        }
        Assert.That(DicomDictionary.Find(new DicomTag(0x0019, 0x0100)), Is.Null, "(0019,0100) is outside the creator range");
        Assert.That(DicomDictionary.Find(new DicomTag(0x0019, 0x1010)), Is.Null, "private data elements need FindPrivate");
    }

    [Test]
    public void Marks_data_set_type_as_retired()
    {
        var e = DicomDictionary.Find(new DicomTag(0x0008, 0x0040));
        Assert.That(e?.Keyword, Is.EqualTo("DataSetType"));
        Assert.That(e!.IsRetired, Is.True);
        Assert.That(e.ValueRepresentation, Is.EqualTo(DicomVR.US));
        Assert.That(DicomDictionary.Find(new DicomTag(0x0008, 0x0060))!.IsRetired, Is.False, "Modality is current");
    }

    [Test]
    public void Has_about_five_thousand_entries_in_tag_order()
    {
        var entries = DicomDictionary.Entries;
        Assert.That(entries, Has.Count.GreaterThanOrEqualTo(4900));
        Assert.That(entries.Select(e => e.Tag), Is.Ordered);
        TestContext.Out.WriteLine($"{entries.Count} entries, {entries.Count(e => e.IsRetired)} retired, {entries.Count(e => e.Mask != 0xFFFFFFFFu)} repeating.");
    }

    [Test]
    public void Finds_entries_by_keyword()
    {
        Assert.That(DicomDictionary.FindByKeyword("PixelData")?.Tag, Is.EqualTo(new DicomTag(0x7FE0, 0x0010)));
        Assert.That(DicomDictionary.FindByKeyword("StudyInstanceUID")?.ValueRepresentation, Is.EqualTo(DicomVR.UI));
        Assert.That(DicomDictionary.FindByKeyword("OverlayData")?.Tag, Is.EqualTo(new DicomTag(0x6000, 0x3000)));
        Assert.That(DicomDictionary.FindByKeyword("ReferencedImageSequence")?.ValueRepresentation, Is.EqualTo(DicomVR.SQ));
        Assert.That(DicomDictionary.FindByKeyword("patientname"), Is.Null, "keywords are case-sensitive");
        Assert.That(DicomDictionary.FindByKeyword("NoSuchKeyword"), Is.Null);
    }

    [Test]
    public void Gives_the_first_VR_or_UN()
    {
        Assert.That(DicomDictionary.GetVR(new DicomTag(0x0028, 0x0106)), Is.EqualTo(DicomVR.US), "Smallest Image Pixel Value is US or SS");
        Assert.That(DicomDictionary.GetVR(new DicomTag(0x0008, 0x0018)), Is.EqualTo(DicomVR.UI));
        Assert.That(DicomDictionary.GetVR(new DicomTag(0x0011, 0x1010)), Is.EqualTo(DicomVR.UN));
        Assert.That(DicomDictionary.GetVR(new DicomTag(0x0008, 0x0001)), Is.EqualTo(DicomVR.UL), "Length to End (retired)");
        Assert.That(DicomDictionary.Find(DicomTag.Item)!.ValueRepresentations, Is.Empty);
    }

    [Test]
    public void Includes_entries_newer_than_pydicom_from_DCMTK()
    {
        // PS3.6 2022b added Pyramid UID (0008,0019), which pydicom's 2022a table lacks.
        var e = DicomDictionary.Find(new DicomTag(0x0008, 0x0019));
        Assert.That(e?.Keyword, Is.EqualTo("PyramidUID"));
        Assert.That(e!.Name, Is.EqualTo("Pyramid UID"));
        Assert.That(e.ValueRepresentation, Is.EqualTo(DicomVR.UI));
    }
}
