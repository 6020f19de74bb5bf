using EdgeCancer.Dicom;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>One analysed image of a series, as the series summary needs it.</summary>
public sealed record SeriesImageResult(string SopInstanceUid, string SopClassUid, int? InstanceNumber, ImageAnalysis Analysis);

/// <summary>Makes the AI result reports (DICOM SR, as ../shared/docs/SR.md specifies).</summary>
public interface IAiReportBuilder
{
    /// <summary>The per-image report for <paramref name="source"/> with the given identity.</summary>
    DicomDataset BuildImageReport(DicomDataset source, ImageAnalysis analysis, string sopInstanceUid, string seriesInstanceUid, int seriesNumber);

    /// <summary>
    /// The series summary for <paramref name="images"/> (header attributes from <paramref name="anySource"/>);
    /// <paramref name="predecessor"/> names the summary it supersedes (SOP Instance UID, its series UID), if any.
    /// </summary>
    DicomDataset BuildSeriesSummary(DicomDataset anySource, IReadOnlyList<SeriesImageResult> images, string sopInstanceUid, string seriesInstanceUid, int seriesNumber,
        (string SopInstanceUid, string SeriesInstanceUid)? predecessor);
}
