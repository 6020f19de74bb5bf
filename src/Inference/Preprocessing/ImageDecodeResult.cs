namespace EdgeCancer.Inference.Preprocessing;

/// <summary>An image ready for the models, or the reason it is not analysed (an outcome, not an error).</summary>
public sealed record ImageDecodeResult(HuImage? Image, string? NotAnalysedReason)
{
    /// <summary>A decoded image.</summary>
    public static ImageDecodeResult Analysable(HuImage image) => new(image, null);

    /// <summary>An image the models will not see, and why.</summary>
    public static ImageDecodeResult NotAnalysed(string reason) => new(null, reason);

    /// <summary>True when <see cref="Image"/> is set.</summary>
    public bool IsAnalysable => Image is not null;
}
