namespace EdgeCancer.Dicom.Tests.Dictionary;

// Expected values are rows of PS3.6 Table A-1.
[TestFixture, Category("Dictionary")]
public class DicomUidRegistryTests
{
    [Test]
    public void Knows_CT_Image_Storage()
    {
        var e = DicomUidRegistry.Find("1.2.840.10008.5.1.4.1.1.2");
        Assert.That(e?.Name, Is.EqualTo("CT Image Storage"));
        Assert.That(e!.Keyword, Is.EqualTo("CTImageStorage"));
        Assert.That(e.Type, Is.EqualTo(DicomUidType.SOPClass));
        Assert.That(e.IsRetired, Is.False);
        Assert.That(DicomUids.CTImageStorage.Value, Is.EqualTo("1.2.840.10008.5.1.4.1.1.2"));
        Assert.That(DicomUid.Lookup("CTImageStorage"), Is.EqualTo(DicomUids.CTImageStorage));
    }

    [Test]
    public void Knows_Explicit_VR_Little_Endian_as_a_transfer_syntax()
    {
        var uid = new DicomUid("1.2.840.10008.1.2.1");
        Assert.That(uid.Type, Is.EqualTo(DicomUidType.TransferSyntax));
        Assert.That(uid.Name, Is.EqualTo("Explicit VR Little Endian"));
        Assert.That(DicomUids.ExplicitVRLittleEndian, Is.EqualTo(uid));
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.1.2.2")!.IsRetired, Is.True, "Explicit VR Big Endian is retired");
    }

    [Test]
    public void Knows_the_Talairach_well_known_frame_of_reference()
    {
        var e = DicomUidRegistry.Find("1.2.840.10008.1.4.1.1");
        Assert.That(e?.Name, Is.EqualTo("Talairach Brain Atlas Frame of Reference"));
        Assert.That(e!.Type, Is.EqualTo(DicomUidType.WellKnownFrameOfReference));
        Assert.That(DicomUids.TalairachBrainAtlas.Value, Is.EqualTo("1.2.840.10008.1.4.1.1"));
    }

    [Test]
    public void Maps_the_other_UID_types()
    {
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.3.1.1.1")?.Type, Is.EqualTo(DicomUidType.ApplicationContextName));
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.4.2")?.Type, Is.EqualTo(DicomUidType.ServiceClass));
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.2.16.4")?.Type, Is.EqualTo(DicomUidType.CodingScheme), "DCM");
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.1.20.1.1")?.Type, Is.EqualTo(DicomUidType.WellKnownSOPInstance));
        Assert.That(DicomUidRegistry.Find("1.2.840.10008.5.1.4.1.2.2.1")?.Type, Is.EqualTo(DicomUidType.SOPClass), "Study Root Q/R FIND");
        Assert.That(DicomUidRegistry.Entries.Where(e => e.Type == DicomUidType.Unknown), Is.Empty);
    }

    [Test]
    public void Has_every_named_row_of_pydicoms_registry()
    {
        // Counted by pydicom itself (Debian python3-pydicom), not by our generator.
        string output = PeerTools.RunPython(
            "from pydicom._uid_dict import UID_dictionary as U; print(sum(1 for v in U.values() if v[0]))");
        int expected = int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(expected, Is.GreaterThanOrEqualTo(450));
        Assert.That(DicomUidRegistry.Entries, Has.Count.EqualTo(expected));
    }

    [Test]
    public void Lists_storage_SOP_classes_for_the_archive()
    {
        string[] mustAccept =
        [
            "1.2.840.10008.5.1.4.1.1.2",       // CT Image Storage
            "1.2.840.10008.5.1.4.1.1.4",       // MR Image Storage
            "1.2.840.10008.5.1.4.1.1.1.1",     // Digital X-Ray Image Storage - For Presentation
            "1.2.840.10008.5.1.4.1.1.88.59",   // Key Object Selection Document Storage
            "1.2.840.10008.5.1.4.1.1.11.1",    // Grayscale Softcopy Presentation State Storage
            "1.2.840.10008.5.1.4.1.1.88.11",   // Basic Text SR Storage
            "1.2.840.10008.5.1.4.1.1.481.5",   // RT Plan Storage
            "1.2.840.10008.5.1.4.1.1.66.4",    // Segmentation Storage
            "1.2.840.10008.5.1.4.1.1.104.1",   // Encapsulated PDF Storage
            "1.2.840.10008.5.1.4.1.1.6",       // Ultrasound Image Storage (Retired)
        ];
        foreach (var uid in mustAccept)
            Assert.That(DicomStorageSopClasses.Contains(new DicomUid(uid)), Is.True, uid);
        string[] mustNot =
        [
            "1.2.840.10008.1.1",       // Verification
            "1.2.840.10008.1.20.1",    // Storage Commitment Push Model
            "1.2.840.10008.1.3.10",    // Media Storage Directory Storage (DICOMDIR)
            "1.2.840.10008.5.1.4.1.2.2.1", // Study Root Q/R FIND
        ];
        foreach (var uid in mustNot)
            Assert.That(DicomStorageSopClasses.Contains(new DicomUid(uid)), Is.False, uid);
        Assert.That(DicomStorageSopClasses.All, Has.Count.GreaterThan(150));
        Assert.That(DicomStorageSopClasses.All.Select(u => u.Type), Is.All.EqualTo(DicomUidType.SOPClass));
        Assert.That(DicomStorageSopClasses.All, Is.Unique);
    }

    [Test]
    public void Every_DicomUids_constant_is_in_the_registry_under_its_keyword()
    {
        var fields = typeof(DicomUids).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static);
        Assert.That(fields, Has.Length.GreaterThanOrEqualTo(440));
        foreach (var f in fields)
        {
            var uid = (DicomUid)f.GetValue(null)!;
            Assert.That(DicomUidRegistry.FindByKeyword(f.Name)?.Value, Is.EqualTo(uid.Value), f.Name);
        }
    }
}
