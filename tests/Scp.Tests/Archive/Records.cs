using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Tests.Archive;

internal static class Records
{
    public const string CtImage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImage = "1.2.840.10008.5.1.4.1.1.4";
    public const string Comprehensive3DSr = "1.2.840.10008.5.1.4.1.1.88.34";
    public const string ComprehensiveSr = "1.2.840.10008.5.1.4.1.1.88.33";

    public static InstanceRecord Instance(string study, string series, string sop, string sopClass = CtImage, string? patientId = "PID1") => new()
    {
        PatientId = patientId,
        PatientName = "Doe^Jane",
        StudyInstanceUid = study,
        SeriesInstanceUid = series,
        SopInstanceUid = sop,
        SopClassUid = sopClass,
        Modality = "CT",
        SeriesNumber = 1,
        InstanceNumber = 1,
        FilePath = $"{study}/{series}/{sop}.dcm",
        FileSize = 1234,
    };
}
