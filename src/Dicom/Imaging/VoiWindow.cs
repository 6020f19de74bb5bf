namespace EdgeCancer.Dicom.Imaging;

/// <summary>VOI LUT Function (0028,1056), PS3.3 C.11.2.1.3.</summary>
public enum VoiLutFunction
{
    /// <summary>LINEAR (the default when the attribute is absent), C.11.2.1.2.1.</summary>
    Linear,
    /// <summary>LINEAR_EXACT, C.11.2.1.3.2.</summary>
    LinearExact,
    /// <summary>SIGMOID, C.11.2.1.3.1.</summary>
    Sigmoid,
}

/// <summary>
/// A window (Window Center (0028,1050), Window Width (0028,1051), VOI LUT Function (0028,1056)) that maps modality
/// values to display values by the functions of PS3.3 C.11.2.1.2 and C.11.2.1.3.
/// </summary>
public readonly record struct VoiWindow
{
    /// <summary>Creates a window; LINEAR needs width ≥ 1, LINEAR_EXACT and SIGMOID width &gt; 0 (C.11.2.1.2.1).</summary>
    public VoiWindow(double center, double width, VoiLutFunction function = VoiLutFunction.Linear, string? explanation = null)
    {
        if (!double.IsFinite(center)) throw new ArgumentOutOfRangeException(nameof(center), center, "Window Center must be finite.");
        if (!double.IsFinite(width) || (function == VoiLutFunction.Linear ? width < 1 : width <= 0))
            throw new ArgumentOutOfRangeException(nameof(width), width,
                function == VoiLutFunction.Linear ? "Window Width must be at least 1 for LINEAR." : $"Window Width must be greater than 0 for {function}.");
        Center = center;
        Width = width;
        Function = function;
        Explanation = explanation;
    }

    /// <summary>Window Center c.</summary>
    public double Center { get; }
    /// <summary>Window Width w.</summary>
    public double Width { get; }
    /// <summary>The VOI LUT function.</summary>
    public VoiLutFunction Function { get; }
    /// <summary>Window Center &amp; Width Explanation (0028,1055), e.g. "BONE"; null when absent.</summary>
    public string? Explanation { get; }

    /// <summary>
    /// The display value y in [<paramref name="yMin"/>, <paramref name="yMax"/>] for modality value <paramref name="x"/>,
    /// unrounded.
    /// </summary>
    public double Apply(double x, double yMin = 0, double yMax = 255)
    {
        double c = Center, w = Width;
        switch (Function)
        {
            case VoiLutFunction.LinearExact:
                // C.11.2.1.3.2
                if (x <= c - w / 2) return yMin;
                if (x > c + w / 2) return yMax;
                return ((x - c) / w + 0.5) * (yMax - yMin) + yMin;
            case VoiLutFunction.Sigmoid:
                // C.11.2.1.3.1
                return (yMax - yMin) / (1 + Math.Exp(-4 * (x - c) / w)) + yMin;
            default:
                // C.11.2.1.2.1: the −0.5 and −1 make an integer-valued window of width w cover exactly w input values.
                if (x <= c - 0.5 - (w - 1) / 2) return yMin;
                if (x > c - 0.5 + (w - 1) / 2) return yMax;
                return ((x - (c - 0.5)) / (w - 1) + 0.5) * (yMax - yMin) + yMin;
        }
    }

    /// <summary>Parses a VOI LUT Function term; absent or unknown terms mean LINEAR (C.11.2.1.3: LINEAR is the default).</summary>
    public static VoiLutFunction ParseFunction(string? term) => term?.Trim().ToUpperInvariant() switch
    {
        "LINEAR_EXACT" => VoiLutFunction.LinearExact,
        "SIGMOID" => VoiLutFunction.Sigmoid,
        _ => VoiLutFunction.Linear,
    };

    /// <summary>
    /// The window presets of a dataset: one per Window Center / Window Width value pair, with the matching
    /// explanation. Empty when the attributes are absent; <see cref="DicomDataException"/> naming the attributes when
    /// their value counts differ or a width is not valid for the function.
    /// </summary>
    public static IReadOnlyList<VoiWindow> FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        bool hasCenter = dataset.GetItem(DicomTags.WindowCenter) is DicomElement { Length: > 0 };
        bool hasWidth = dataset.GetItem(DicomTags.WindowWidth) is DicomElement { Length: > 0 };
        if (!hasCenter && !hasWidth) return [];
        if (hasCenter != hasWidth)
            throw new DicomDataException($"{(hasCenter ? "Window Center (0028,1050) is present without Window Width (0028,1051)" : "Window Width (0028,1051) is present without Window Center (0028,1050)")}; both are required together.");
        double[] centers, widths;
        try { centers = dataset.GetValues<double>(DicomTags.WindowCenter); }
        catch (DicomDataException ex) { throw new DicomDataException($"Window Center (0028,1050) is not a list of decimal numbers ({ex.Message}).", ex); }
        try { widths = dataset.GetValues<double>(DicomTags.WindowWidth); }
        catch (DicomDataException ex) { throw new DicomDataException($"Window Width (0028,1051) is not a list of decimal numbers ({ex.Message}).", ex); }
        if (centers.Length != widths.Length)
            throw new DicomDataException($"Window Center (0028,1050) has {centers.Length} values but Window Width (0028,1051) has {widths.Length}; they must pair up.");
        string[] explanations = dataset.TryGetValues<string>(DicomTags.WindowCenterWidthExplanation, out var ex2) ? ex2 : [];
        var function = ParseFunction(dataset.TryGetString(DicomTags.VOILUTFunction, out var f) ? f : null);
        var result = new VoiWindow[centers.Length];
        for (int i = 0; i < centers.Length; i++)
        {
            string? explanation = i < explanations.Length && explanations[i].Trim().Length > 0 ? explanations[i].Trim() : null;
            try { result[i] = new VoiWindow(centers[i], widths[i], function, explanation); }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new DicomDataException($"Window Center (0028,1050) / Window Width (0028,1051) pair {i + 1} ({centers[i]}, {widths[i]}) is not valid: {ex.Message.Split(Environment.NewLine)[0]}", ex);
            }
        }
        return result;
    }

    /// <summary>A LINEAR window that maps [<paramref name="min"/>, <paramref name="max"/>] onto the full output range (PS3.3 C.11.2.1.2.1 inverted).</summary>
    public static VoiWindow FromRange(double min, double max)
    {
        if (max < min) (min, max) = (max, min);
        // With c = (min + max + 1) / 2 and w = max − min + 1, x ≤ min gives yMin and x ≥ max gives yMax.
        return new VoiWindow((min + max + 1) / 2, max - min + 1);
    }
}
