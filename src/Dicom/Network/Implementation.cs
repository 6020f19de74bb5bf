namespace EdgeCancer.Dicom.Network;

/// <summary>Our implementation identification in A-ASSOCIATE (PS3.7 D.3.3.2), the same as in file meta information.</summary>
public static class Implementation
{
    /// <summary>Implementation Class UID.</summary>
    public const string ClassUid = EdgeCancer.Dicom.IO.DicomFile.ImplementationClassUid;

    /// <summary>Implementation Version Name.</summary>
    public const string VersionName = EdgeCancer.Dicom.IO.DicomFile.ImplementationVersionName;
}
