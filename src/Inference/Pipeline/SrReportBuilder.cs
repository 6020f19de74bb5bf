using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.StructuredReport;
using EdgeCancer.Dicom.StructuredReport.Templates;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>Makes the AI reports with the SR templates of the toolkit (Comprehensive 3D SR, TID 1500; ../shared/docs/SR.md).</summary>
public sealed class SrReportBuilder(InferenceOptions options, TimeProvider? time = null) : IAiReportBuilder
{
    /// <summary>Model name of the body part classifier in analyses.</summary>
    public const string BodyPartModelName = "body-part";
    /// <summary>Model name of the malignancy classifier in analyses.</summary>
    public const string MalignancyModelName = "chest-malignancy";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The node as the reports' device observer.</summary>
    public static readonly AiDeviceInfo Device = new(DicomUid.FromName("edgecancer/device/ai-node"), "EdgeCancer", "EdgeCancer", "CT AI Node")
    {
        SoftwareVersion = typeof(SrReportBuilder).Assembly.GetName().Version?.ToString() ?? "0",
    };

    private static AiModelInfo Model(ImageAnalysis a, string name, string parameter)
    {
        var m = a.Models.FirstOrDefault(x => x.Name == name) ?? new ModelIdentity(name, "unavailable", new string('0', 64));
        return new AiModelInfo(m.Name, m.Version, m.Sha256) { Parameters = [parameter] };
    }

    /// <inheritdoc />
    public DicomDataset BuildImageReport(DicomDataset source, ImageAnalysis analysis, string sopInstanceUid, string seriesInstanceUid, int seriesNumber) =>
        AiImageReport.Build(new AiImageResult
        {
            SourceImage = source,
            BodyPartLabel = analysis.BodyPart ?? "other",
            ChestProbability = analysis.ChestProbability ?? 0,
            BodyPartModel = Model(analysis, BodyPartModelName, "threshold=0.50"),
            MalignancyProbability = analysis.MalignancyProbability,
            MalignancyThreshold = analysis.MalignancyThreshold,
            MalignancyModel = Model(analysis, MalignancyModelName, "operating_threshold=" + analysis.MalignancyThreshold.ToString("0.00", CultureInfo.InvariantCulture)),
            Device = Device,
            Series = new SrSeriesInfo(new DicomUid(seriesInstanceUid), seriesNumber, "AI results per image"),
            ContentDateTime = _time.GetLocalNow(),
            SopInstanceUid = new DicomUid(sopInstanceUid),
            BodyPartTrackingUid = DicomUid.FromName(sopInstanceUid + "/tracking/body-part"),
            MalignancyTrackingUid = DicomUid.FromName(sopInstanceUid + "/tracking/malignancy"),
            SopClassUid = new DicomUid(options.ReportSopClassUid),
        });

    /// <inheritdoc />
    public DicomDataset BuildSeriesSummary(DicomDataset anySource, IReadOnlyList<SeriesImageResult> images, string sopInstanceUid, string seriesInstanceUid, int seriesNumber,
        (string SopInstanceUid, string SeriesInstanceUid)? predecessor)
    {
        var study = new DicomUid(anySource.GetString(DicomTags.StudyInstanceUID));
        var series = new DicomUid(anySource.GetString(DicomTags.SeriesInstanceUID));
        DicomHierarchicalSopReference Ref(SeriesImageResult r) => new(study, series, new DicomUid(r.SopClassUid), new DicomUid(r.SopInstanceUid));
        double meanChest = images.Average(i => i.Analysis.ChestProbability ?? 0);
        var chestVotes = images.Count(i => i.Analysis.BodyPart == "chest");
        var label = images.GroupBy(i => i.Analysis.BodyPart ?? "other").OrderByDescending(g => g.Count()).First().Key;
        var withMalignancy = images.Where(i => i.Analysis.MalignancyProbability is not null).ToList();
        var first = images[0].Analysis;
        AiSeriesMalignancy? malignancy = null;
        if (withMalignancy.Count > 0)
        {
            var max = withMalignancy.MaxBy(i => i.Analysis.MalignancyProbability!.Value)!;
            malignancy = new AiSeriesMalignancy(max.Analysis.MalignancyProbability!.Value, Ref(max), withMalignancy.Count);
        }
        double threshold = withMalignancy.Count > 0 ? withMalignancy[0].Analysis.MalignancyThreshold : 0.5;
        string impression = malignancy is null
            ? $"AI: series classified as {label} ({chestVotes} of {images.Count} images chest); malignancy model not run."
            : malignancy.MaxProbability >= threshold
                ? $"AI: {label} series; suspicious for malignancy, max {malignancy.MaxProbability * 100:0.0}% at instance {images.First(i => i.SopInstanceUid == malignancy.MaxImage.SopInstanceUid.Value).InstanceNumber}."
                : $"AI: {label} series; no image above the malignancy threshold (max {malignancy.MaxProbability * 100:0.0}%).";
        return AiSeriesSummaryReport.Build(new AiSeriesSummary
        {
            SourceImage = anySource,
            Images = images.Select(Ref).ToList(),
            ImageLibraryLimit = 500,
            BodyPartLabel = label,
            MeanChestProbability = meanChest,
            BodyPartImageCount = images.Count,
            BodyPartModel = Model(first, BodyPartModelName, "threshold=0.50"),
            Malignancy = malignancy,
            MalignancyThreshold = threshold,
            MalignancyModel = malignancy is null ? null : Model(withMalignancy[0].Analysis, MalignancyModelName, "operating_threshold=" + threshold.ToString("0.00", CultureInfo.InvariantCulture)),
            Impression = impression.Length <= 1024 ? impression : impression[..1024],
            Supersedes = predecessor is { } p ? new DicomHierarchicalSopReference(study, new DicomUid(p.SeriesInstanceUid), new DicomUid(options.ReportSopClassUid), new DicomUid(p.SopInstanceUid)) : null,
            Device = Device,
            Series = new SrSeriesInfo(new DicomUid(seriesInstanceUid), seriesNumber, "AI series summary"),
            ContentDateTime = _time.GetLocalNow(),
            SopInstanceUid = new DicomUid(sopInstanceUid),
            BodyPartTrackingUid = DicomUid.FromName(sopInstanceUid + "/tracking/body-part"),
            MalignancyTrackingUid = DicomUid.FromName(sopInstanceUid + "/tracking/malignancy"),
            SopClassUid = new DicomUid(options.ReportSopClassUid),
        });
    }
}
