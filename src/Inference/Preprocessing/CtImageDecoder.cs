using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Inference.Preprocessing;

/// <summary>
/// First half of preprocessing: a DICOM object → Hounsfield units (stored values through the Modality LUT, PS3.3
/// C.11.1), or "not analysed" with a reason for anything the models must not see: other modalities (SR, RT, …),
/// no Pixel Data, images too small, colour images, and compressed images without a decoder.
/// </summary>
public sealed class CtImageDecoder(DicomCodecRegistry? codecs = null)
{
    private readonly DicomCodecRegistry _codecs = codecs ?? DicomCodecRegistry.Default;

    /// <summary>Decodes the first frame of <paramref name="file"/> for a model that takes <paramref name="spec"/>.</summary>
    public ImageDecodeResult Decode(DicomFile file, PreprocessingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(file);
        var ds = file.Dataset;
        string modality = ds.TryGetString(DicomTags.Modality, out var m) ? m.Trim() : "";
        string sopClass = ds.TryGetString(DicomTags.SOPClassUID, out var c) ? c.Trim().TrimEnd('\0') : "";
        if (modality.Length == 0)
            return ImageDecodeResult.NotAnalysed($"Modality (0008,0060) is missing; only {string.Join("/", spec.Modalities)} images are analysed");
        if (!spec.Modalities.Contains(modality, StringComparer.OrdinalIgnoreCase))
            return ImageDecodeResult.NotAnalysed($"{DescribeObject(modality, sopClass)} is not an image this model analyses (it analyses {string.Join("/", spec.Modalities)})");
        if (file.IsHeaderOnly)
            return ImageDecodeResult.NotAnalysed("the file was read header-only; Pixel Data was not loaded");
        if (ds.GetItem(DicomTags.PixelData) is null)
            return ImageDecodeResult.NotAnalysed("no pixel data: Pixel Data (7FE0,0010) is absent");

        DicomPixelData pixels;
        try
        {
            pixels = DicomPixelData.Create(file);
        }
        catch (DicomDataException ex)
        {
            return ImageDecodeResult.NotAnalysed($"the image pixel module cannot be read: {ex.Message}");
        }
        if (pixels.Rows < spec.MinimumSize || pixels.Columns < spec.MinimumSize)
            return ImageDecodeResult.NotAnalysed($"image is {pixels.Columns}×{pixels.Rows} pixels; at least {spec.MinimumSize}×{spec.MinimumSize} is needed");
        if (!pixels.IsGrayscale)
            return ImageDecodeResult.NotAnalysed($"Photometric Interpretation is {pixels.PhotometricInterpretation}; only MONOCHROME1/MONOCHROME2 CT images are analysed");
        if (!pixels.CanDecode(_codecs))
            return ImageDecodeResult.NotAnalysed(DicomCodecRegistry.NoDecoderMessage(pixels.TransferSyntax));

        try
        {
            var lut = ModalityLut.FromDataset(ds, pixels.IsSigned);
            var hu = new float[pixels.PixelCount];
            int[] rented = System.Buffers.ArrayPool<int>.Shared.Rent(hu.Length);
            try
            {
                var stored = rented.AsSpan(0, hu.Length);
                pixels.GetStoredValues(0, stored, _codecs);
                ToHu(stored, lut, hu);
            }
            finally
            {
                System.Buffers.ArrayPool<int>.Shared.Return(rented);
            }
            return ImageDecodeResult.Analysable(new HuImage(pixels.Rows, pixels.Columns, hu) { PixelSpacingMm = PixelSpacing(ds) });
        }
        catch (DicomCodecException ex)
        {
            return ImageDecodeResult.NotAnalysed($"the pixel data cannot be decoded: {ex.Message}");
        }
        catch (DicomDataException ex)
        {
            return ImageDecodeResult.NotAnalysed($"the pixel data cannot be read: {ex.Message}");
        }
    }

    private static void ToHu(ReadOnlySpan<int> stored, ModalityLut lut, float[] hu)
    {
        if (lut.Table is null)
        {
            // Linear Modality LUT (PS3.3 C.11.1.1.2): HU = slope × stored + intercept, without a call per pixel.
            float slope = (float)lut.Slope, intercept = (float)lut.Intercept;
            for (int i = 0; i < hu.Length; i++) hu[i] = slope * stored[i] + intercept;
        }
        else
        {
            for (int i = 0; i < hu.Length; i++) hu[i] = (float)lut.Apply(stored[i]);
        }
    }

    /// <summary>Mean of the row and column spacing of Pixel Spacing (0028,0030, PS3.3 C.7.6.2.1.1), or the default when absent or not positive.</summary>
    private static double PixelSpacing(DicomDataset ds) =>
        ds.TryGetValues<double>(DicomTags.PixelSpacing, out var spacing) && spacing.Length == 2 && spacing[0] > 0 && spacing[1] > 0 && double.IsFinite(spacing[0] + spacing[1])
            ? (spacing[0] + spacing[1]) / 2
            : HuImage.DefaultPixelSpacingMm;

    private static string DescribeObject(string modality, string sopClass) => modality switch
    {
        "SR" => $"a Structured Report (Modality SR, SOP Class {sopClass})",
        "RTSTRUCT" or "RTPLAN" or "RTDOSE" or "RTIMAGE" or "RTRECORD" => $"an RT object (Modality {modality}, SOP Class {sopClass})",
        _ => $"a {modality} object (SOP Class {sopClass})",
    };
}
