using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>Runs the active models on one image (CPU-bound; called from worker threads).</summary>
public interface IImageAnalyzer
{
    /// <summary>Analyses <paramref name="file"/>; never throws for bad images: returns a "not analysed" result with the reason.</summary>
    ImageAnalysis Analyze(DicomFile file, CancellationToken cancellationToken);
}
