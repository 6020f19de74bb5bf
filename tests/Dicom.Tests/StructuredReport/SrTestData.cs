using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport.Templates;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

/// <summary>Source images and fixed inputs for the SR tests.</summary>
internal static class SrTestData
{
    public const string CtSmall = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    /// <summary>pydicom's CT_small.dcm (GE HiSpeed CT/i; CompressedSamples^CT1).</summary>
    public static DicomDataset LoadCtSmall()
    {
        if (!File.Exists(CtSmall)) Assert.Fail($"{CtSmall} is missing; install the Debian package python3-pydicom.");
        return DicomFile.Open(CtSmall).Dataset;
    }

    public static readonly DateTimeOffset ContentTime = new(2026, 11, 24, 22, 10, 5, TimeSpan.FromHours(1));

    public static AiDeviceInfo Device { get; } = new(new DicomUid("1.2.826.0.1.3680043.8.498.99.1"), "CTAI-Node", "Example AI Vendor", "CT Chest Triage")
    {
        SerialNumber = "SN-0001",
        SoftwareVersion = "0.9.0",
        InstitutionName = "Example Hospital",
    };

    public const string BodyPartSha = "3f9a4c1de0b2a7c6f1e8d5b4a3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4";
    public const string MalignancySha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static AiModelInfo BodyPartModel { get; } = new("BodyPartClassifier", "2.3.0", BodyPartSha);
    public static AiModelInfo MalignancyModel { get; } = new("MalignancyClassifier", "1.4.1", MalignancySha);

    public static SrSeriesInfo PerImageSeries { get; } = new(new DicomUid("1.2.826.0.1.3680043.8.498.99.9001"), 9001, "AI results per image");
    public static SrSeriesInfo SummarySeries { get; } = new(new DicomUid("1.2.826.0.1.3680043.8.498.99.9002"), 9002, "AI series summary");
    public static SrSeriesInfo ReviewSeries { get; } = new(new DicomUid("1.2.826.0.1.3680043.8.498.99.9003"), 9003, "AI results physician review");

    public static AiImageResult ChestResult(DicomDataset source) => new()
    {
        SourceImage = source,
        BodyPartLabel = "chest",
        ChestProbability = 0.9721,
        BodyPartModel = BodyPartModel,
        MalignancyProbability = 0.8312,
        MalignancyThreshold = 0.35,
        MalignancyModel = MalignancyModel,
        Device = Device,
        Series = PerImageSeries,
        ContentDateTime = ContentTime,
    };

    public static string TempFile(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "edgecancer-sr-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    public static string Save(DicomDataset ds, string name)
    {
        var path = TempFile(name);
        var file = new DicomFile(ds);
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian);
        file.Save(path);
        return path;
    }
}
