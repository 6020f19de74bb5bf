namespace EdgeCancer.Dicom.IO;

/// <summary>How a <see cref="DicomReader"/> treats large values, depth and rule violations.</summary>
public sealed record DicomReaderOptions
{
    /// <summary>Defaults: values over 64 KiB stay in their file, nesting limited to 64 sequences, odd lengths refused.</summary>
    public static readonly DicomReaderOptions Default = new();

    /// <summary>Values longer than this stay as file references when the source is a file (otherwise they are read into memory in chunks).</summary>
    public int LargeValueThreshold { get; init; } = 64 * 1024;

    /// <summary>Deepest sequence nesting accepted; deeper data is refused with <see cref="DicomReadException"/> (bounds memory and time).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Stop before the first top-level element with a tag at or above this one (e.g. Pixel Data for a header-only read).</summary>
    public DicomTag? StopAtTag { get; init; }

    /// <summary>Accept odd value lengths (PS3.5 §7.1.1 requires even lengths). Off by default: they are refused.</summary>
    public bool AllowOddLengths { get; init; }

    /// <summary>Re-interpret UN values whose tag the dictionary knows with the dictionary VR (PS3.5 §6.2.2).</summary>
    public bool ReinterpretUN { get; init; } = true;
}
