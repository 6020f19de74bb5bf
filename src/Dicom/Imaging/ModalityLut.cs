namespace EdgeCancer.Dicom.Imaging;

/// <summary>
/// The Modality LUT (PS3.3 C.11.1): stored values to modality values (Hounsfield units for CT) by Rescale Slope
/// (0028,1053) and Rescale Intercept (0028,1052), or by a Modality LUT Sequence (0028,3000) when one is present
/// (the two are mutually exclusive; the sequence wins).
/// </summary>
public sealed class ModalityLut
{
    /// <summary>The identity transform (slope 1, intercept 0).</summary>
    public static ModalityLut Identity { get; } = new(1, 0, null, null);

    /// <summary>Creates a rescale or table transform.</summary>
    public ModalityLut(double slope, double intercept, string? rescaleType = null, DicomLookupTable? table = null)
    {
        if (!double.IsFinite(slope) || slope == 0) throw new ArgumentOutOfRangeException(nameof(slope), slope, "Rescale Slope must be a finite, non-zero number.");
        if (!double.IsFinite(intercept)) throw new ArgumentOutOfRangeException(nameof(intercept), intercept, "Rescale Intercept must be finite.");
        Slope = slope;
        Intercept = intercept;
        RescaleType = rescaleType;
        Table = table;
    }

    /// <summary>Rescale Slope m in output = m × SV + b.</summary>
    public double Slope { get; }
    /// <summary>Rescale Intercept b in output = m × SV + b.</summary>
    public double Intercept { get; }
    /// <summary>Rescale Type (0028,1054) or Modality LUT Type (0028,3004), e.g. HU; null when absent.</summary>
    public string? RescaleType { get; }
    /// <summary>The Modality LUT Sequence table, when the dataset has one; it replaces the rescale.</summary>
    public DicomLookupTable? Table { get; }
    /// <summary>True when output equals input.</summary>
    public bool IsIdentity => Table is null && Slope == 1 && Intercept == 0;

    /// <summary>The modality value of stored value <paramref name="storedValue"/>.</summary>
    public double Apply(double storedValue) => Table is not null ? Table.Lookup(storedValue) : Slope * storedValue + Intercept;

    /// <summary>Applies the transform to every value of <paramref name="storedValues"/>.</summary>
    public void Apply(ReadOnlySpan<int> storedValues, Span<double> destination)
    {
        if (destination.Length < storedValues.Length) throw new ArgumentException("The destination is shorter than the input.", nameof(destination));
        if (Table is not null)
        {
            for (int i = 0; i < storedValues.Length; i++) destination[i] = Table.Lookup(storedValues[i]);
            return;
        }
        double m = Slope, b = Intercept;
        for (int i = 0; i < storedValues.Length; i++) destination[i] = m * storedValues[i] + b;
    }

    /// <summary>
    /// Reads the transform from a dataset. Absent rescale attributes mean slope 1, intercept 0; present but invalid
    /// ones throw <see cref="DicomDataException"/> naming the attribute.
    /// </summary>
    public static ModalityLut FromDataset(DicomDataset dataset, bool signedStoredValues)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.TryGetSequence(DicomTags.ModalityLUTSequence, out var sequence) && sequence.Items.Count > 0)
        {
            var item = sequence.Items[0];
            var table = DicomLookupTable.FromItem(item, signedStoredValues, "Modality LUT Sequence (0028,3000)");
            string? type = item.TryGetString(DicomTags.ModalityLUTType, out var t) && t.Trim().Length > 0 ? t.Trim() : null;
            return new ModalityLut(1, 0, type, table);
        }
        double slope = ReadDecimal(dataset, DicomTags.RescaleSlope, "Rescale Slope", 1);
        double intercept = ReadDecimal(dataset, DicomTags.RescaleIntercept, "Rescale Intercept", 0);
        if (slope == 0 || !double.IsFinite(slope)) throw new DicomDataException($"Rescale Slope (0028,1053) is {slope}; it must be a finite, non-zero number.");
        if (!double.IsFinite(intercept)) throw new DicomDataException($"Rescale Intercept (0028,1052) is {intercept}; it must be finite.");
        string? rescaleType = dataset.TryGetString(DicomTags.RescaleType, out var rt) && rt.Trim().Length > 0 ? rt.Trim() : null;
        return new ModalityLut(slope, intercept, rescaleType);
    }

    internal static double ReadDecimal(DicomDataset dataset, DicomTag tag, string name, double defaultValue)
    {
        if (dataset.GetItem(tag) is not DicomElement e || e.Length == 0) return defaultValue;
        try
        {
            var values = dataset.GetValues<double>(tag);
            return values.Length == 0 ? defaultValue : values[0];
        }
        catch (DicomDataException ex)
        {
            throw new DicomDataException($"{name} {tag} is not a valid decimal number ({ex.Message}).", ex);
        }
    }
}
