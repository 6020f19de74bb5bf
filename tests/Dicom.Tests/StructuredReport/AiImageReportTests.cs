using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

[TestFixture, Category("StructuredReport")]
public class AiImageReportTests
{
    [Test]
    public void Chest_result_validates_and_dsrdump_shows_the_tree_of_SR_md_6_1()
    {
        var ds = AiImageReport.Build(SrTestData.ChestResult(SrTestData.LoadCtSmall()));
        var dump = SrAssert.SaveAndValidate(ds, "per-image-chest.dcm");

        var expected = SrGolden.Lines(SrGolden.DeviceHead + "\n" + SrGolden.OneImageLibrary + "\n" + SrGolden.PerImageMeasurements);
        SrPeerTools.AssertTree(expected, SrPeerTools.TreeLines(dump));
        var header = SrPeerTools.HeaderFields(dump);
        Assert.Multiple(() =>
        {
            Assert.That(dump, Does.StartWith("Comprehensive 3D SR Document"));
            Assert.That(header["Patient"], Is.EqualTo("CompressedSamples^CT1 (O, #1CT1)"));
            Assert.That(header["Study"], Is.EqualTo("e+1 (#1CT1)"));
            Assert.That(header["Series"], Is.EqualTo("AI results per image (#9001)"));
            Assert.That(header["Manufacturer"], Is.EqualTo("Example AI Vendor (CT Chest Triage, #SN-0001)"));
            Assert.That(header["Preliminary Flag"], Is.EqualTo("PRELIMINARY"));
            Assert.That(header["Completion Flag"], Is.EqualTo("COMPLETE"));
            Assert.That(header["Verification Flag"], Is.EqualTo("UNVERIFIED"));
            Assert.That(header["Content Date/Time"], Is.EqualTo("2026-11-24 22:10:05"));
        });
    }

    [Test]
    public void Image_items_reference_the_source_class_and_instance()
    {
        var src = SrTestData.LoadCtSmall();
        var path = SrTestData.Save(AiImageReport.Build(SrTestData.ChestResult(src)), "per-image-refs.dcm");
        var dump = SrPeerTools.AssertDsrdump(path, "+Pu", "+Psu");
        var expected = $"<contains IMAGE:=(\"1.2.840.10008.5.1.4.1.1.2\",\"{src.GetString(DicomTags.SOPInstanceUID)}\")>";
        Assert.That(dump, Does.Contain(expected));
    }

    [Test]
    public void Non_chest_image_gets_an_empty_malignancy_value_with_measurement_not_attempted()
    {
        var input = SrTestData.ChestResult(SrTestData.LoadCtSmall()) with { BodyPartLabel = "head", ChestProbability = 0.021, MalignancyProbability = null };
        var dump = SrAssert.SaveAndValidate(AiImageReport.Build(input), "per-image-head.dcm");
        var tree = SrPeerTools.TreeLines(dump);
        var tail = SrGolden.Lines(SrGolden.NotAttemptedMalignancyTail);
        Assert.That(tree.TakeLast(tail.Count), Is.EqualTo(tail));
        Assert.That(tree, Does.Contain("      <contains CODE:(123014,DCM,\"Target Region\")=(69536005,SCT,\"Head\")>"));
        Assert.That(tree, Does.Contain("      <contains NUM:(122157,DCM,\"Probability\")=\"2.1\" (%,UCUM,\"Percent\")>"));
        Assert.That(tree.Count(l => l.Contains("Suspicious for malignancy")), Is.Zero, "no decision is recorded when the model was not run");
    }

    [Test]
    public void An_unknown_label_is_written_as_the_declared_local_non_chest_code()
    {
        var input = SrTestData.ChestResult(SrTestData.LoadCtSmall()) with { BodyPartLabel = "other", ChestProbability = 0.1, MalignancyProbability = null };
        var dump = SrAssert.SaveAndValidate(AiImageReport.Build(input), "per-image-other.dcm");
        Assert.That(SrPeerTools.TreeLines(dump), Does.Contain("      <contains CODE:(123014,DCM,\"Target Region\")=(NONCHEST,99EDGECANCER,\"Non-chest region\")>"));
    }

    [Test]
    public void Comprehensive_SR_is_the_fallback_class_with_the_same_tree()
    {
        var input = SrTestData.ChestResult(SrTestData.LoadCtSmall()) with { SopClassUid = DicomUids.ComprehensiveSRStorage };
        var dump = SrAssert.SaveAndValidate(AiImageReport.Build(input), "per-image-88-33.dcm", "ComprehensiveSR");
        Assert.That(dump, Does.StartWith("Comprehensive SR Document"));
        var expected = SrGolden.Lines(SrGolden.DeviceHead + "\n" + SrGolden.OneImageLibrary + "\n" + SrGolden.PerImageMeasurements);
        SrPeerTools.AssertTree(expected, SrPeerTools.TreeLines(dump));
    }

    [Test]
    public void Header_copies_patient_and_study_and_records_node_and_models()
    {
        var src = SrTestData.LoadCtSmall();
        var input = SrTestData.ChestResult(src);
        var ds = DicomFile.Open(SrTestData.Save(AiImageReport.Build(input), "per-image-header.dcm")).Dataset;
        Assert.Multiple(() =>
        {
            foreach (var tag in new[] { DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientSex, DicomTags.StudyInstanceUID, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.StudyID, DicomTags.StudyDescription, DicomTags.SpecificCharacterSet })
                Assert.That(ds.GetString(tag), Is.EqualTo(src.GetString(tag)), tag.ToString());
            Assert.That(ds.Contains(DicomTags.PatientBirthDate) && ds.Contains(DicomTags.AccessionNumber) && ds.Contains(DicomTags.ReferringPhysicianName), "empty Type 2 attributes are copied too");
            Assert.That(ds.GetSequence(DicomTags.OtherPatientIDsSequence).Items, Has.Count.EqualTo(2));
            Assert.That(ds.Contains(DicomTags.BodyPartExamined), Is.False, "BodyPartExamined is not in the SR IOD (SR.md §3.4)");
            Assert.That(ds.GetString(DicomTags.Modality), Is.EqualTo("SR"));
            Assert.That(ds.GetString(DicomTags.SOPClassUID), Is.EqualTo("1.2.840.10008.5.1.4.1.1.88.34"));
            Assert.That(ds.GetSingleValue<int>(DicomTags.InstanceNumber), Is.EqualTo(src.GetSingleValue<int>(DicomTags.InstanceNumber)));
            Assert.That(ds.GetString(DicomTags.DeviceUID), Is.EqualTo(input.Device.DeviceUid.Value), "Device UID equals the Device Observer UID (SR.md §2.3 row 4)");
            Assert.That(ds.GetString(DicomTags.InstanceCreatorUID), Is.EqualTo(input.Device.DeviceUid.Value));
            Assert.That(ds.GetString(DicomTags.TimezoneOffsetFromUTC), Is.EqualTo("+0100"));
            var ce = ds.GetSequence(DicomTags.ContributingEquipmentSequence).Items;
            Assert.That(ce.Select(i => i.GetString(DicomTags.ManufacturerModelName)), Is.EqualTo(new[] { "BodyPartClassifier", "MalignancyClassifier" }));
            Assert.That(ce.Select(i => i.GetString(DicomTags.SoftwareVersions)), Is.EqualTo(new[] { "2.3.0", "1.4.1" }));
            Assert.That(ce[1].GetString(DicomTags.ContributionDescription), Is.EqualTo("sha256=" + SrTestData.MalignancySha));
            Assert.That(DicomCodedEntry.FromSequence(ce[0], DicomTags.PurposeOfReferenceCodeSequence), Is.EqualTo(SrCodes.ProcessingEquipment));
            var scheme = ds.GetSequence(DicomTags.CodingSchemeIdentificationSequence).Items.Single();
            Assert.That(scheme.GetString(DicomTags.CodingSchemeDesignator), Is.EqualTo("99EDGECANCER"));
            var evidence = ds.GetSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence).Items.Single();
            Assert.That(evidence.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(src.GetString(DicomTags.StudyInstanceUID)));
            var series = evidence.GetSequence(DicomTags.ReferencedSeriesSequence).Items.Single();
            Assert.That(series.GetString(DicomTags.SeriesInstanceUID), Is.EqualTo(src.GetString(DicomTags.SeriesInstanceUID)));
            Assert.That(series.GetSequence(DicomTags.ReferencedSOPSequence).Items.Single().GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo(src.GetString(DicomTags.SOPInstanceUID)));
            Assert.That(ds.Contains(DicomTags.PertinentOtherEvidenceSequence), Is.False);
        });
    }

    [Test]
    public void Reader_gets_back_the_model_identity_probabilities_and_tracking_uids()
    {
        var input = SrTestData.ChestResult(SrTestData.LoadCtSmall());
        var root = SrAssert.ReadBack(AiImageReport.Build(input), "per-image-read.dcm");
        Assert.That(root.ConceptName, Is.EqualTo(SrCodes.ImagingMeasurementReport));
        Assert.That(((DicomContainerItem)root).Template, Is.EqualTo(DicomContentTemplate.Dcmr("1500")));
        var groups = root.FindChild(SrCodes.ImagingMeasurements)!.FindChildren(SrCodes.MeasurementGroup).ToList();
        Assert.That(groups, Has.Count.EqualTo(2));
        Assert.That(((DicomContainerItem)groups[0]).Template, Is.EqualTo(DicomContentTemplate.Dcmr("1501")));
        Assert.That(((DicomUidRefItem)groups[0].FindChild(SrCodes.TrackingUniqueIdentifier)!).Uid, Is.EqualTo(input.BodyPartTrackingUid));
        Assert.That(((DicomUidRefItem)groups[1].FindChild(SrCodes.TrackingUniqueIdentifier)!).Uid, Is.EqualTo(input.MalignancyTrackingUid));
        var parameters = groups[1].FindChildren(SrCodes.AlgorithmParameters).Cast<DicomTextItem>().Select(t => t.Text);
        Assert.That(parameters, Is.EqualTo(new[] { "operating_threshold=0.35", "sha256=" + SrTestData.MalignancySha }));
        var p = (DicomNumItem)groups[1].FindChild(SrCodes.ProbabilityOfCancer)!;
        Assert.That((p.Value, p.NumericText, p.Units), Is.EqualTo(((double?)83.1, "83.1", (DicomCodedEntry?)SrCodes.Percent)));
        var chest = (DicomNumItem)groups[0].FindChild(SrCodes.Probability)!;
        Assert.That(chest.Value, Is.EqualTo(97.2));
        Assert.That(((DicomCodeItem)chest.Children.Single()).Code, Is.EqualTo(SrCodes.Chest));
    }

    [Test]
    public void Reader_gets_back_the_not_attempted_qualifier()
    {
        var input = SrTestData.ChestResult(SrTestData.LoadCtSmall()) with { BodyPartLabel = "abdomen", MalignancyProbability = null };
        var root = SrAssert.ReadBack(AiImageReport.Build(input), "per-image-read-empty.dcm");
        var num = (DicomNumItem)root.FindChild(SrCodes.ImagingMeasurements)!.FindChildren(SrCodes.MeasurementGroup).Last().FindChild(SrCodes.ProbabilityOfCancer)!;
        Assert.That((num.Value, num.NumericText, num.Qualifier), Is.EqualTo(((double?)null, (string?)null, (DicomCodedEntry?)SrCodes.MeasurementNotAttempted)));
    }
}
