using System.ComponentModel.DataAnnotations;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>The on-arrival pipeline's settings (config section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    /// <summary>Run the worker role (Inference:Enabled).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Parallel workers in this process (Inference:Workers).</summary>
    [Range(1, 64, ErrorMessage = "Inference:Workers must be between 1 and 64.")]
    public int Workers { get; set; } = 1;

    /// <summary>Seconds without new results after which a series counts as complete (Inference:QuietPeriodSeconds).</summary>
    [Range(0, 86_400, ErrorMessage = "Inference:QuietPeriodSeconds must be between 0 and 86400.")]
    public int QuietPeriodSeconds { get; set; } = 30;

    /// <summary>Modalities analysed (Inference:Modalities).</summary>
    public List<string> Modalities { get; set; } = ["CT"];

    /// <summary>Image Type values that must all be present (Inference:RequiredImageType).</summary>
    public List<string> RequiredImageType { get; set; } = ["ORIGINAL", "PRIMARY"];

    /// <summary>Image Type values that exclude an image (Inference:ExcludedImageType); localizers by default.</summary>
    public List<string> ExcludedImageType { get; set; } = ["LOCALIZER"];

    /// <summary>Only axial slices (Image Orientation (Patient) with a normal along z) are analysed (Inference:AxialOnly).</summary>
    public bool AxialOnly { get; set; } = true;

    /// <summary>Further filters: attribute keyword → regular expression its value must match (Inference:TagFilters).</summary>
    public Dictionary<string, string> TagFilters { get; set; } = [];

    /// <summary>SOP Class of the reports: Comprehensive 3D SR (default) or Comprehensive SR (Inference:ReportSopClassUid).</summary>
    public string ReportSopClassUid { get; set; } = "1.2.840.10008.5.1.4.1.1.88.34";

    /// <summary>AE titles (from the remote AE table) every report is also sent to (Inference:ForwardTo).</summary>
    public List<string> ForwardTo { get; set; } = [];

    /// <summary>Most reports sent on one forwarding association (Inference:ForwardBatchSize).</summary>
    [Range(1, 1000)]
    public int ForwardBatchSize { get; set; } = 50;

    /// <summary>Series Number of the per-image report series (Inference:ImageReportSeriesNumber).</summary>
    public int ImageReportSeriesNumber { get; set; } = 9001;

    /// <summary>Series Number of the summary series (Inference:SummarySeriesNumber).</summary>
    public int SummarySeriesNumber { get; set; } = 9002;
}
