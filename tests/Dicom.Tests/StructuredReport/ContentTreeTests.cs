using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

[TestFixture, Category("StructuredReport")]
public class ContentTreeTests
{
    private static readonly DicomCodedEntry Title = new("126000", "DCM", "Imaging Measurement Report");
    private static readonly DicomCodedEntry Finding = new("121071", "DCM", "Finding");

    private static DicomDataset Item(DicomContentItem item) => DicomContentTreeWriter.WriteItem(item, DicomCharacterSet.Default);

    [Test]
    public void Code_values_longer_than_16_characters_go_in_Long_Code_Value()
    {
        var code = new DicomCodedEntry("12345678901234567", "99TEST", "Long");
        var item = code.ToDataset(DicomCharacterSet.Default);
        Assert.That(item.Contains(DicomTags.CodeValue), Is.False);
        Assert.That(item.GetItem(DicomTags.LongCodeValue)!.VR, Is.EqualTo(DicomVR.UC));
        Assert.That(item.GetString(DicomTags.LongCodeValue), Is.EqualTo("12345678901234567"));
        Assert.That(DicomCodedEntry.FromDataset(item), Is.EqualTo(code));
        var sixteen = new DicomCodedEntry("1234567890123456", "99TEST", "Short").ToDataset(DicomCharacterSet.Default);
        Assert.That(sixteen.GetItem(DicomTags.CodeValue)!.VR, Is.EqualTo(DicomVR.SH));
    }

    [Test]
    public void Urn_code_values_go_in_URN_Code_Value()
    {
        var item = new DicomCodedEntry("urn:oid:2.16.840.1.113883.6.96", "99TEST", "URN").ToDataset(DicomCharacterSet.Default);
        Assert.That(item.GetItem(DicomTags.URNCodeValue)!.VR, Is.EqualTo(DicomVR.UR));
    }

    [Test]
    public void Code_meaning_over_64_characters_is_refused()
    {
        var code = new DicomCodedEntry("1", "99TEST", new string('m', 65));
        Assert.That(() => code.ToDataset(DicomCharacterSet.Default), Throws.TypeOf<DicomDataException>().With.Message.Contains("64"));
    }

    [Test]
    public void Item_elements_have_the_VRs_of_the_standard_in_ascending_tag_order()
    {
        var ds = Item(new DicomTextItem(DicomRelationshipType.Contains, Finding, "odd"));
        Assert.That(ds.Select(i => i.Tag), Is.Ordered);
        Assert.That(ds.Select(i => (i.Tag, i.VR)), Is.EqualTo(new[]
        {
            (DicomTags.RelationshipType, DicomVR.CS), (DicomTags.ValueType, DicomVR.CS),
            (DicomTags.ConceptNameCodeSequence, DicomVR.SQ), (DicomTags.TextValue, DicomVR.UT),
        }));
        // Even length with the VR's padding byte (PS3.5 §6.2): "odd" + space.
        Assert.That(ds.GetElement(DicomTags.TextValue).Buffer.Memory.ToArray(), Is.EqualTo("odd "u8.ToArray()));
        Assert.That(ds.GetElement(DicomTags.RelationshipType).Buffer.Memory.ToArray(), Is.EqualTo("CONTAINS"u8.ToArray()));
    }

    [Test]
    public void Num_writes_one_measured_value_item_with_units_and_DS()
    {
        var ds = Item(new DicomNumItem(DicomRelationshipType.Contains, Finding, 83.1, new("%", "UCUM", "Percent")));
        var mv = ds.GetSequence(DicomTags.MeasuredValueSequence).Items.Single();
        Assert.That(mv.GetElement(DicomTags.NumericValue).VR, Is.EqualTo(DicomVR.DS));
        Assert.That(mv.GetString(DicomTags.NumericValue), Is.EqualTo("83.1"));
        Assert.That(mv.Contains(DicomTags.FloatingPointValue), Is.False, "83.1 is exact in its DS text");
        Assert.That(DicomCodedEntry.FromSequence(mv, DicomTags.MeasurementUnitsCodeSequence)!.Value.Value, Is.EqualTo("%"));
        Assert.That(ds.Contains(DicomTags.NumericValueQualifierCodeSequence), Is.False);
    }

    [Test]
    public void Num_adds_Floating_Point_Value_when_the_DS_text_loses_precision()
    {
        double third = 1.0 / 3;
        var ds = Item(new DicomNumItem(DicomRelationshipType.Contains, Finding, third, new("1", "UCUM", "no units")));
        var mv = ds.GetSequence(DicomTags.MeasuredValueSequence).Items.Single();
        Assert.That(mv.GetString(DicomTags.NumericValue).Length, Is.LessThanOrEqualTo(16));
        Assert.That(mv.GetSingleValue<double>(DicomTags.FloatingPointValue), Is.EqualTo(third));
        Assert.That(mv.GetElement(DicomTags.FloatingPointValue).VR, Is.EqualTo(DicomVR.FD));
    }

    [Test]
    public void Num_text_over_16_characters_is_refused()
    {
        Assert.That(() => new DicomNumItem(DicomRelationshipType.Contains, Finding, 1, new("1", "UCUM", "no units"), "12345678901234567"),
            Throws.ArgumentException.With.Message.Contains("16"));
    }

    [Test]
    public void Not_measured_num_has_an_empty_measured_value_sequence_and_the_qualifier()
    {
        var ds = Item(DicomNumItem.NotMeasured(DicomRelationshipType.Contains, Finding, new("114007", "DCM", "Measurement not attempted")));
        Assert.That(ds.GetSequence(DicomTags.MeasuredValueSequence).Items, Is.Empty);
        Assert.That(DicomCodedEntry.FromSequence(ds, DicomTags.NumericValueQualifierCodeSequence)!.Value.Value, Is.EqualTo("114007"));
    }

    [Test]
    public void Has_concept_mod_to_a_NUM_is_refused()
    {
        var root = new DicomContainerItem(null, Title);
        root.Add(new DicomNumItem(DicomRelationshipType.HasConceptMod, Finding, 1, new("1", "UCUM", "no units")));
        Assert.That(() => DicomContentTreeWriter.WriteRoot(root, new DicomDataset()), Throws.TypeOf<DicomDataException>().With.Message.Contains("HAS CONCEPT MOD"));
    }

    [Test]
    public void Root_without_a_title_is_refused()
    {
        Assert.That(() => DicomContentTreeWriter.WriteRoot(new DicomContainerItem(null, null), new DicomDataset()), Throws.ArgumentException);
    }

    [Test]
    public void Multi_frame_image_references_carry_frame_numbers()
    {
        var reference = new DicomSopReference(new DicomUid("1.2.840.10008.5.1.4.1.1.2.1"), new DicomUid("1.2.3.4")) { Frames = [3, 7] };
        var ds = Item(new DicomImageItem(DicomRelationshipType.Contains, null, reference));
        var sop = ds.GetSequence(DicomTags.ReferencedSOPSequence).Items.Single();
        Assert.That(sop.GetValues<int>(DicomTags.ReferencedFrameNumber), Is.EqualTo(new[] { 3, 7 }));
        Assert.That(ds.Contains(DicomTags.ConceptNameCodeSequence), Is.False);
    }

    [Test]
    public void Verified_without_complete_or_without_verifying_observer_is_refused()
    {
        var src = SrTestData.LoadCtSmall();
        var doc = GenericDocument(src, out _);
        Assert.That(() => new DicomStructuredReportDocument
        {
            Source = doc.Source, Content = doc.Content, SopInstanceUid = doc.SopInstanceUid, SeriesInstanceUid = doc.SeriesInstanceUid,
            SeriesNumber = 1, InstanceNumber = 1, ContentDateTime = doc.ContentDateTime, Equipment = doc.Equipment, Evidence = doc.Evidence,
            Verification = DicomVerificationFlag.Verified,
        }.Build(), Throws.InvalidOperationException.With.Message.Contains("Verifying Observer"));
        Assert.That(() => new DicomStructuredReportDocument
        {
            Source = doc.Source, Content = doc.Content, SopInstanceUid = doc.SopInstanceUid, SeriesInstanceUid = doc.SeriesInstanceUid,
            SeriesNumber = 1, InstanceNumber = 1, ContentDateTime = doc.ContentDateTime, Equipment = doc.Equipment, Evidence = doc.Evidence,
            Verification = DicomVerificationFlag.Verified, Completion = DicomCompletionFlag.Partial,
            VerifyingObservers = [new DicomVerifyingObserver(new DicomPersonName("Doe^Jane"), "Org", doc.ContentDateTime)],
        }.Build(), Throws.InvalidOperationException.With.Message.Contains("COMPLETE"));
    }

    [Test]
    public void An_image_missing_from_the_evidence_is_refused()
    {
        var doc = GenericDocument(SrTestData.LoadCtSmall(), out _);
        var broken = new DicomStructuredReportDocument
        {
            Source = doc.Source, Content = doc.Content, SopInstanceUid = doc.SopInstanceUid, SeriesInstanceUid = doc.SeriesInstanceUid,
            SeriesNumber = 1, InstanceNumber = 1, ContentDateTime = doc.ContentDateTime, Equipment = doc.Equipment, Evidence = [],
        };
        Assert.That(() => broken.Build(), Throws.InvalidOperationException.With.Message.Contains("Evidence"));
    }

    [Test]
    public void Every_value_type_validates_with_dciodvfy_and_dsrdump_and_round_trips_through_the_reader()
    {
        var doc = GenericDocument(SrTestData.LoadCtSmall(), out var root);
        var ds = doc.Build();
        SrAssert.SaveAndValidate(ds, "generic.dcm");
        // +U8: dsrdump prints text converted from the document's ISO_IR 100 to UTF-8.
        var tree = SrPeerTools.TreeLines(SrPeerTools.AssertDsrdump(SrTestData.Save(ds, "generic-u8.dcm"), "+U8"));
        SrPeerTools.AssertTree(SrGolden.Lines("""
            <CONTAINER:(126000,DCM,"Imaging Measurement Report")=SEPARATE>
              <has concept mod CODE:(121049,DCM,"Language of Content Item and Descendants")=(de-DE,RFC5646,"German (Germany)")>
              <has obs context UIDREF:(121012,DCM,"Device Observer UID")="<uid>">
              <contains PNAME:(121008,DCM,"Person Observer Name")="Müller^Jürgen">
              <contains DATETIME:(111526,DCM,"DateTime Started")="20261124221005.250000+0100">
              <contains CODE:(121071,DCM,"Finding")=(12345678901234567,99TEST,"A long code")>
              <contains IMAGE:(121112,DCM,"Source of Measurement")=(CT image,)>
              <contains COMPOSITE:(121079,DCM,"Baseline")=(Comprehensive3DSRStorage,)>
              <contains NUM:(122157,DCM,"Probability")="0.33333333333333" (1,UCUM,"no units")>
                <has concept mod CODE:(121401,DCM,"Derivation")=(373098007,SCT,"Mean")>
                <inferred from IMAGE:=(CT image,)>
              <contains CONTAINER:(C0034375,UMLS,"Qualitative Evaluations")=CONTINUOUS>
                <contains TEXT:(121073,DCM,"Impression")="Größe unverändert">
            """), tree);
        var read = SrAssert.RoundTrip(ds, root, "generic-read.dcm");
        Assert.That(((DicomDateTimeItem)read.Children.OfType<DicomDateTimeItem>().Single()).ToDateTimeOffset(),
            Is.EqualTo(new DateTimeOffset(2026, 11, 24, 22, 10, 5, 250, TimeSpan.FromHours(1))));
        Assert.That(read.Children.OfType<DicomContainerItem>().Single().Continuity, Is.EqualTo(DicomContinuityOfContent.Continuous));
    }

    [Test]
    public void Text_the_source_character_set_cannot_hold_needs_an_explicit_character_set()
    {
        var src = SrTestData.LoadCtSmall(); // ISO_IR 100
        var root = new DicomContainerItem(null, Title);
        root.Add(new DicomTextItem(DicomRelationshipType.Contains, Finding, "肺結節"));
        var doc = new DicomStructuredReportDocument
        {
            Source = src, Content = root, SopInstanceUid = DicomUid.Generate(), SeriesInstanceUid = DicomUid.Generate(),
            SeriesNumber = 1, InstanceNumber = 1, ContentDateTime = SrTestData.ContentTime, Equipment = new DicomSrEquipment("X"),
        };
        Assert.That(() => doc.Build(), Throws.TypeOf<DicomDataException>().With.Message.Contains("ISO_IR 192"));

        var utf8 = new DicomStructuredReportDocument
        {
            Source = src, Content = root, SopInstanceUid = DicomUid.Generate(), SeriesInstanceUid = DicomUid.Generate(),
            SeriesNumber = 1, InstanceNumber = 1, ContentDateTime = SrTestData.ContentTime, Equipment = new DicomSrEquipment("X"),
            SpecificCharacterSet = ["ISO_IR 192"],
        }.Build();
        Assert.That(utf8.GetString(DicomTags.PatientName), Is.EqualTo(src.GetString(DicomTags.PatientName)), "copied names are re-encoded");
        Assert.That(((DicomTextItem)DicomContentTreeReader.ReadRoot(utf8).Children.Single()).Text, Is.EqualTo("肺結節"));
    }

    [Test]
    public void Reader_reports_a_malformed_tree_with_the_item_path()
    {
        var ds = new DicomStructuredReportDocument
        {
            Source = SrTestData.LoadCtSmall(), Content = (DicomContainerItem)new DicomContainerItem(null, Title).Add(new DicomTextItem(DicomRelationshipType.Contains, Finding, "x")),
            SopInstanceUid = DicomUid.Generate(), SeriesInstanceUid = DicomUid.Generate(), SeriesNumber = 1, InstanceNumber = 1,
            ContentDateTime = SrTestData.ContentTime, Equipment = new DicomSrEquipment("X"),
        }.Build();
        ds.GetSequence(DicomTags.ContentSequence).Items[0].Remove(DicomTags.RelationshipType);
        Assert.That(DicomContentTreeReader.TryReadRoot(ds, out var root, out var error), Is.False);
        Assert.That(root, Is.Null);
        Assert.That(error, Does.Contain("root.1").And.Contain("Relationship Type"));
    }

    /// <summary>A document with one item of every modelled value type (and German text, in the source's ISO_IR 100).</summary>
    private static DicomStructuredReportDocument GenericDocument(DicomDataset src, out DicomContainerItem root)
    {
        var image = DicomHierarchicalSopReference.FromDataset(src);
        var earlier = new DicomHierarchicalSopReference(image.StudyInstanceUid, new DicomUid("1.2.826.0.1.3680043.8.498.99.9001"),
            DicomUids.Comprehensive3DSRStorage, new DicomUid("1.2.826.0.1.3680043.8.498.99.5"));
        root = new DicomContainerItem(null, Title, DicomContentTemplate.Dcmr("1500"));
        root.Add(
            new DicomCodeItem(DicomRelationshipType.HasConceptMod, new("121049", "DCM", "Language of Content Item and Descendants"), new("de-DE", "RFC5646", "German (Germany)")),
            new DicomUidRefItem(DicomRelationshipType.HasObsContext, new("121012", "DCM", "Device Observer UID"), new DicomUid("1.2.826.0.1.3680043.8.498.99.1")),
            new DicomPersonNameItem(DicomRelationshipType.Contains, new("121008", "DCM", "Person Observer Name"), new DicomPersonName("Müller^Jürgen")),
            new DicomDateTimeItem(DicomRelationshipType.Contains, new("111526", "DCM", "DateTime Started"), new DateTimeOffset(2026, 11, 24, 22, 10, 5, 250, TimeSpan.FromHours(1))),
            new DicomCodeItem(DicomRelationshipType.Contains, Finding, new("12345678901234567", "99TEST", "A long code")),
            new DicomImageItem(DicomRelationshipType.Contains, new("121112", "DCM", "Source of Measurement"), image.Instance),
            new DicomCompositeItem(DicomRelationshipType.Contains, new("121079", "DCM", "Baseline"), earlier.Instance),
            new DicomNumItem(DicomRelationshipType.Contains, new("122157", "DCM", "Probability"), 1.0 / 3, new("1", "UCUM", "no units"))
                .Add(new DicomCodeItem(DicomRelationshipType.HasConceptMod, new("121401", "DCM", "Derivation"), new("373098007", "SCT", "Mean")),
                     new DicomImageItem(DicomRelationshipType.InferredFrom, null, image.Instance)),
            new DicomContainerItem(DicomRelationshipType.Contains, new("C0034375", "UMLS", "Qualitative Evaluations"), continuity: DicomContinuityOfContent.Continuous)
                .Add(new DicomTextItem(DicomRelationshipType.Contains, new("121073", "DCM", "Impression"), "Größe unverändert")));
        return new DicomStructuredReportDocument
        {
            Source = src,
            Content = root,
            SopClassUid = DicomUids.Comprehensive3DSRStorage,
            SopInstanceUid = new DicomUid("1.2.826.0.1.3680043.8.498.99.6"),
            SeriesInstanceUid = new DicomUid("1.2.826.0.1.3680043.8.498.99.9009"),
            SeriesNumber = 9009,
            InstanceNumber = 1,
            ContentDateTime = SrTestData.ContentTime,
            Equipment = new DicomSrEquipment("EdgeCancer"),
            Evidence = [image, earlier],
            CodingSchemes = [new DicomCodingScheme("99TEST", "Test codes", "EdgeCancer tests")],
        };
    }
}
