using System.ComponentModel.DataAnnotations;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>The on-arrival pipeline's settings (config section <c>Inference</c>).</summary>
public sealed class InferenceOptions
{
    /// <summary>Run the worker role (Inference:Enabled).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Parallel workers in this process (Inference:Workers); the processor count by default.</summary>
    [Range(1, 64, ErrorMessage = "Inference:Workers must be between 1 and 64.")]
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>Work items claimed in one index transaction (Inference:ClaimBatch); handed to the workers as they free up.</summary>
    [Range(1, 256, ErrorMessage = "Inference:ClaimBatch must be between 1 and 256.")]
    public int ClaimBatch { get; set; } = 8;

    /// <summary>
    /// ONNX Runtime intra-op threads of an image model or backbone session (Inference:IntraOpThreads); 0 (default)
    /// gives processor count ÷ workers, at least 1, so workers × threads ≈ cores. Sessions are shared by all workers.
    /// </summary>
    [Range(0, 64, ErrorMessage = "Inference:IntraOpThreads must be between 0 and 64 (0 = processor count / workers).")]
    public int IntraOpThreads { get; set; }

    /// <summary>The intra-op threads in force: <see cref="IntraOpThreads"/>, or processor count ÷ workers.</summary>
    public int EffectiveIntraOpThreads(int processorCount) =>
        IntraOpThreads > 0 ? IntraOpThreads : Math.Max(1, processorCount / Math.Max(1, Workers));

    /// <summary>
    /// Seconds without a new image of a series after which it counts as complete (Inference:QuietPeriodSeconds); counted
    /// from the last arrival, and the summary is written as soon as the period has passed and the series' work is done.
    /// </summary>
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

    /// <summary>How often the summary service looks for complete series, in milliseconds (Inference:SummaryPollMilliseconds).</summary>
    [Range(50, 1000, ErrorMessage = "Inference:SummaryPollMilliseconds must be between 50 and 1000.")]
    public int SummaryPollMilliseconds { get; set; } = 250;

    /// <summary>Occlusion heatmaps for every image at or above the malignancy threshold, in the background (Inference:Heatmaps).</summary>
    public bool Heatmaps { get; set; } = true;

    /// <summary>Occlusion patch in model input pixels (Inference:HeatmapPatch).</summary>
    [Range(8, 224, ErrorMessage = "Inference:HeatmapPatch must be between 8 and 224.")]
    public int HeatmapPatch { get; set; } = 64;

    /// <summary>Occlusion stride in model input pixels (Inference:HeatmapStride); 64/32 on a 224 input is 36 model runs per heatmap.</summary>
    [Range(4, 224, ErrorMessage = "Inference:HeatmapStride must be between 4 and 224.")]
    public int HeatmapStride { get; set; } = 32;

    /// <summary>Heatmaps kept in memory (Inference:HeatmapCacheCapacity); every heatmap is also written to disk.</summary>
    [Range(0, 4096, ErrorMessage = "Inference:HeatmapCacheCapacity must be between 0 and 4096.")]
    public int HeatmapCacheCapacity { get; set; } = 32;
}
