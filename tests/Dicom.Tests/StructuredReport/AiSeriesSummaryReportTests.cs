using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

[TestFixture, Category("StructuredReport")]
public class AiSeriesSummaryReportTests
{
    private static (DicomDataset Source, AiSeriesSummary Input) Summary()
    {
        var src = SrTestData.LoadCtSmall();
        var first = DicomHierarchicalSopReference.FromDataset(src);
        // Two more (synthetic) images of the same series; the summary references them as evidence.
        var second = first with { SopInstanceUid = new DicomUid(first.SopInstanceUid.Value + ".2") };
        var third = first with { SopInstanceUid = new DicomUid(first.SopInstanceUid.Value + ".3") };
        return (src, new AiSeriesSummary
        {
            SourceImage = src,
            Images = [first, second, third],
            BodyPartLabel = "chest",
            MeanChestProbability = 0.9722,
            BodyPartImageCount = 3,
            BodyPartModel = SrTestData.BodyPartModel,
            Malignancy = new AiSeriesMalignancy(0.831, second, 3),
            MalignancyThreshold = 0.35,
            MalignancyModel = SrTestData.MalignancyModel,
            Impression = "AI: series classified as chest; suspicious for malignancy (max 83.1 % on image 2).",
            Device = SrTestData.Device,
            Series = SrTestData.SummarySeries,
            ContentDateTime = SrTestData.ContentTime,
        });
    }

    [Test]
    public void Summary_validates_and_dsrdump_shows_the_tree_of_SR_md_6_2()
    {
        var (_, input) = Summary();
        var dump = SrAssert.SaveAndValidate(AiSeriesSummaryReport.Build(input), "summary.dcm");
        SrPeerTools.AssertTree(SrGolden.Lines(SrGolden.DeviceHead + "\n" + SrGolden.SummaryBody), SrPeerTools.TreeLines(dump));
        var header = SrPeerTools.HeaderFields(dump);
        Assert.Multiple(() =>
        {
            Assert.That(header["Series"], Is.EqualTo("AI series summary (#9002)"));
            Assert.That(header["Completion Flag"], Is.EqualTo("COMPLETE"));
            Assert.That(header["Verification Flag"], Is.EqualTo("UNVERIFIED"));
            Assert.That(header.ContainsKey("Predecessor Docs"), Is.False);
        });
    }

    [Test]
    public void Superseding_summary_lists_the_old_one_as_predecessor()
    {
        var (src, input) = Summary();
        var old = new DicomHierarchicalSopReference(new DicomUid(src.GetString(DicomTags.StudyInstanceUID)), SrTestData.SummarySeries.SeriesInstanceUid,
            DicomUids.Comprehensive3DSRStorage, new DicomUid("1.2.826.0.1.3680043.8.498.99.77"));
        var ds = AiSeriesSummaryReport.Build(input with { Supersedes = old, InstanceNumber = 2, Completion = DicomCompletionFlag.Partial, CompletionDescription = "3 of >=4 images processed" });
        var dump = SrAssert.SaveAndValidate(ds, "summary-superseding.dcm");
        var header = SrPeerTools.HeaderFields(dump);
        Assert.That(header["Predecessor Docs"], Is.EqualTo("1"));
        Assert.That(header["Completion Flag"], Does.StartWith("PARTIAL"));

        var read = DicomFile.Open(SrTestData.Save(ds, "summary-superseding-read.dcm")).Dataset;
        var study = read.GetSequence(DicomTags.PredecessorDocumentsSequence).Items.Single();
        var sop = study.GetSequence(DicomTags.ReferencedSeriesSequence).Items.Single().GetSequence(DicomTags.ReferencedSOPSequence).Items.Single();
        Assert.That(sop.GetString(DicomTags.ReferencedSOPInstanceUID), Is.EqualTo("1.2.826.0.1.3680043.8.498.99.77"));
        Assert.That(read.GetSingleValue<int>(DicomTags.InstanceNumber), Is.EqualTo(2));
        Assert.That(read.GetString(DicomTags.CompletionFlagDescription), Is.EqualTo("3 of >=4 images processed"));
    }

    [Test]
    public void Evidence_lists_every_image_even_when_the_library_is_capped()
    {
        var (_, input) = Summary();
        var ds = AiSeriesSummaryReport.Build(input with { ImageLibraryLimit = 1 });
        var dump = SrAssert.SaveAndValidate(ds, "summary-capped.dcm");
        Assert.That(SrPeerTools.TreeLines(dump).Count(l => l.Contains("<contains IMAGE:=")), Is.EqualTo(1));
        var sops = ds.GetSequence(DicomTags.CurrentRequestedProcedureEvidenceSequence).Items.Single()
            .GetSequence(DicomTags.ReferencedSeriesSequence).Items.Single().GetSequence(DicomTags.ReferencedSOPSequence).Items;
        Assert.That(sops, Has.Count.EqualTo(3));
    }

    [Test]
    public void Non_chest_series_has_no_malignancy_group()
    {
        var (_, input) = Summary();
        var ds = AiSeriesSummaryReport.Build(input with { BodyPartLabel = "head", MeanChestProbability = 0.03, Malignancy = null, Impression = null });
        var dump = SrAssert.SaveAndValidate(ds, "summary-head.dcm");
        var tree = SrPeerTools.TreeLines(dump);
        Assert.That(tree.Count(l => l.Contains("\"Measurement Group\"")), Is.EqualTo(1));
        Assert.That(tree.Any(l => l.Contains("Qualitative Evaluations")), Is.False);
        Assert.That(ds.GetSequence(DicomTags.ContributingEquipmentSequence).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public void Reader_gets_back_derivations_and_the_image_with_the_maximum()
    {
        var (_, input) = Summary();
        var root = SrAssert.ReadBack(AiSeriesSummaryReport.Build(input), "summary-read.dcm");
        var groups = root.FindChild(SrCodes.ImagingMeasurements)!.Children;
        var mean = groups[0].FindChild(SrCodes.Probability)!;
        Assert.That(((DicomCodeItem)mean.FindChild(SrCodes.Derivation)!).Code, Is.EqualTo(SrCodes.Mean));
        var max = groups[1].FindChild(SrCodes.ProbabilityOfCancer)!;
        Assert.That(((DicomCodeItem)max.FindChild(SrCodes.Derivation)!).Code, Is.EqualTo(SrCodes.Maximum));
        var source = (DicomImageItem)max.FindChild(SrCodes.SourceOfMeasurement)!;
        Assert.That(source.Relationship, Is.EqualTo(DicomRelationshipType.InferredFrom));
        Assert.That(source.Reference.SopInstanceUid, Is.EqualTo(input.Malignancy!.MaxImage.SopInstanceUid));
        var impression = (DicomTextItem)root.FindChild(SrCodes.QualitativeEvaluations)!.Children.Single();
        Assert.That(impression.Text, Is.EqualTo(input.Impression));
    }
}
