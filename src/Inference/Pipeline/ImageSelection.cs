using System.Text.RegularExpressions;
using EdgeCancer.Dicom;

namespace EdgeCancer.Inference.Pipeline;

/// <summary>Decides whether an image is analysed (a pure function of the dataset and the options).</summary>
public static class ImageSelection
{
    /// <summary>Null when the image is selected; otherwise why it is skipped.</summary>
    public static string? WhyNot(DicomDataset ds, InferenceOptions options)
    {
        var modality = ds.TryGetString(DicomTags.Modality, out var m) ? m : "";
        if (!options.Modalities.Contains(modality, StringComparer.OrdinalIgnoreCase))
            return $"modality {(modality.Length == 0 ? "(none)" : modality)} is not analysed";
        var imageType = ds.TryGetValues<string>(DicomTags.ImageType, out var it) ? it : [];
        foreach (var required in options.RequiredImageType)
            if (!imageType.Contains(required, StringComparer.OrdinalIgnoreCase)) return $"Image Type lacks {required}";
        foreach (var excluded in options.ExcludedImageType)
            if (imageType.Contains(excluded, StringComparer.OrdinalIgnoreCase)) return $"Image Type is {excluded}";
        if (options.AxialOnly && !IsAxial(ds)) return "not an axial slice";
        foreach (var (keyword, pattern) in options.TagFilters)
        {
            var entry = DicomDictionary.FindByKeyword(keyword);
            if (entry is null) return $"tag filter names an unknown keyword {keyword}";
            var value = ds.TryGetString(entry.Tag, out var v) ? v : "";
            if (!Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100)))
                return $"{keyword} '{value}' does not match the filter";
        }
        return null;
    }

    // PS3.3 C.7.6.2.1.1: the slice normal is the cross product of the row and column direction cosines.
    private static bool IsAxial(DicomDataset ds)
    {
        if (!ds.TryGetValues<double>(DicomTags.ImageOrientationPatient, out var o) || o.Length != 6)
        {
            var imageType = ds.TryGetValues<string>(DicomTags.ImageType, out var it) ? it : [];
            return imageType.Contains("AXIAL", StringComparer.OrdinalIgnoreCase) || imageType.Length < 3;
        }
        double nz = o[0] * o[4] - o[1] * o[3];
        return Math.Abs(nz) > 0.8;
    }
}
