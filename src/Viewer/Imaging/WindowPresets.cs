using EdgeCancer.Dicom.Imaging;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>The CT window presets of the viewer (center/width in HU).</summary>
public static class WindowPresets
{
    public static readonly IReadOnlyDictionary<string, VoiWindow> ByName = new Dictionary<string, VoiWindow>(StringComparer.OrdinalIgnoreCase)
    {
        ["lung"] = new(-600, 1500, explanation: "LUNG"),
        ["mediastinum"] = new(50, 350, explanation: "MEDIASTINUM"),
        ["bone"] = new(480, 2500, explanation: "BONE"),
        ["brain"] = new(40, 80, explanation: "BRAIN"),
    };
}
