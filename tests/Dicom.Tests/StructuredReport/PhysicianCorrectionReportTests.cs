using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

[TestFixture, Category("StructuredReport")]
public class PhysicianCorrectionReportTests
{
    private static (AiImageResult Ai, DicomDataset AiDataset, PhysicianCorrection Correction) Correction()
    {
        var src = SrTestData.LoadCtSmall();
        var ai = SrTestData.ChestResult(src);
        var aiDs = AiImageReport.Build(ai);
        return (ai, aiDs, new PhysicianCorrection
        {
            SourceImage = src,
            AiReport = DicomHierarchicalSopReference.FromDataset(aiDs),
            BodyPartTrackingUid = ai.BodyPartTrackingUid,
            CorrectedBodyPartLabel = "abdomen",
            MalignancyTrackingUid = ai.MalignancyTrackingUid,
            SuspiciousForMalignancy = false,
            Physician = new DicomPersonName("Doe^Jane^^Dr."),
            Organization = "Example Hospital Radiology",
            AiDevice = SrTestData.Device,
            ReviewerEquipment = new DicomSrEquipment("EdgeCancer") { ModelName = "EdgeCancer Viewer", SoftwareVersions = "0.9.0" },
            Series = SrTestData.ReviewSeries,
            ContentDateTime = new DateTimeOffset(2026, 11, 25, 0, 10, 5, TimeSpan.FromHours(1)),
        });
    }

    [Test]
    public void Signed_correction_validates_and_dsrdump_shows_the_tree_and_flags_of_SR_md_6_3()
    {
        var (_, _, input) = Correction();
        var dump = SrAssert.SaveAndValidate(PhysicianCorrectionReport.Build(input), "correction.dcm");
        SrPeerTools.AssertTree(SrGolden.Lines(SrGolden.Correction), SrPeerTools.TreeLines(dump));
        var header = SrPeerTools.HeaderFields(dump);
        Assert.Multiple(() =>
        {
            Assert.That(header["Preliminary Flag"], Is.EqualTo("FINAL"));
            Assert.That(header["Completion Flag"], Is.EqualTo("COMPLETE"));
            Assert.That(header["Predecessor Docs"], Is.EqualTo("1"));
            Assert.That(header["Verification Flag"], Is.EqualTo("VERIFIED"));
            Assert.That(header["Verifying Observers"], Is.EqualTo("2026-11-25 00:10:05 +01:00, Doe^Jane^^Dr., Example Hospital Radiology"));
            Assert.That(header["Content Date/Time"], Is.EqualTo("2026-11-25 00:10:05"));
            Assert.That(header["Series"], Is.EqualTo("AI results physician review (#9003)"));
        });
    }

    [Test]
    public void Unsigned_correction_is_complete_and_unverified_without_verifying_observer()
    {
        var (_, _, input) = Correction();
        var ds = PhysicianCorrectionReport.Build(input with { Signed = false });
        var dump = SrAssert.SaveAndValidate(ds, "correction-unsigned.dcm");
        var header = SrPeerTools.HeaderFields(dump);
        Assert.That(header["Verification Flag"], Is.EqualTo("UNVERIFIED"));
        Assert.That(ds.Contains(DicomTags.VerifyingObserverSequence), Is.False);
        Assert.That(ds.Contains(DicomTags.PreliminaryFlag), Is.False);
    }

    [Test]
    public void Header_points_at_the_AI_report_and_names_the_AI_device_as_source()
    {
        var (ai, aiDs, input) = Correction();
        var ds = DicomFile.Open(SrTestData.Save(PhysicianCorrectionReport.Build(input), "correction-header.dcm")).Dataset;
        Assert.Multiple(() =>
        {
            var study = ds.GetSequence(DicomTags.PredecessorDocumentsSequence).Items.Single();
            Assert.That(study.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(aiDs.GetString(DicomTags.StudyInstanceUID)));
            var series = study.GetSequence(DicomTags.ReferencedSeriesSequence).Items.Single();
            Assert.That(series.GetString(DicomTags.SeriesInstanceUID), Is.EqualTo(SrTestData.PerImageSeries.SeriesInstanceUid.Value));
            var sop = series.GetSequence(DicomTags.ReferencedSOPSequence).Items.Single();
            Assert.That(sop.GetString(DicomTags.ReferencedSOPClassUID), Is.EqualTo("1.2.840.10008.5.1.4.1.1.88.34"));
            Assert.That(sop.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo(ai.SopInstanceUid.Value));

            var participant = ds.GetSequence(DicomTags.ParticipantSequence).Items.Single();
            Assert.That(participant.GetString(DicomTags.ParticipationType), Is.EqualTo("SOURCE"));
            Assert.That(participant.GetString(DicomTags.ObserverType), Is.EqualTo("DEV"));
            Assert.That(participant.GetString(DicomTags.DeviceUID), Is.EqualTo(SrTestData.Device.DeviceUid.Value));
            var author = ds.GetSequence(DicomTags.AuthorObserverSequence).Items.Single();
            Assert.That((author.GetString(DicomTags.ObserverType), author.GetString(DicomTags.PersonName)), Is.EqualTo(("PSN", "Doe^Jane^^Dr.")));
            var verifier = ds.GetSequence(DicomTags.VerifyingObserverSequence).Items.Single();
            Assert.That(verifier.GetString(DicomTags.VerificationDateTime), Is.EqualTo("20261125001005+0100"));
            Assert.That(ds.GetString(DicomTags.Manufacturer), Is.EqualTo("EdgeCancer"));
            Assert.That(ds.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(aiDs.GetString(DicomTags.StudyInstanceUID)));
        });
    }

    [Test]
    public void Correction_reuses_the_AI_tracking_uids_and_carries_no_AI_probabilities()
    {
        var (ai, _, input) = Correction();
        var root = SrAssert.ReadBack(PhysicianCorrectionReport.Build(input), "correction-read.dcm");
        var groups = root.FindChild(SrCodes.ImagingMeasurements)!.Children;
        Assert.That(groups.Select(g => ((DicomUidRefItem)g.FindChild(SrCodes.TrackingUniqueIdentifier)!).Uid), Is.EqualTo(new[] { ai.BodyPartTrackingUid, ai.MalignancyTrackingUid }));
        var all = root.DescendantsAndSelf().ToList();
        Assert.That(all.OfType<DicomNumItem>(), Is.Empty);
        Assert.That(all.Where(i => i.ConceptName is { } n && (n.Matches(SrCodes.AlgorithmName) || n.Matches(SrCodes.AlgorithmVersion))), Is.Empty);
        Assert.That(((DicomPersonNameItem)root.FindChild(SrCodes.PersonObserverName)!).Name.Value, Is.EqualTo("Doe^Jane^^Dr."));
    }
}
