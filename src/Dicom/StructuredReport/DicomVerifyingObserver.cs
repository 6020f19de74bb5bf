namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// One item of Verifying Observer Sequence (0040,A073) (PS3.3 Table C.17-2): who attested the document, for which
/// organization, and when.
/// </summary>
/// <param name="Name">Verifying Observer Name (0040,A075), Type 1.</param>
/// <param name="Organization">Verifying Organization (0040,A027), Type 1.</param>
/// <param name="VerificationDateTime">Verification DateTime (0040,A030), Type 1.</param>
/// <param name="Identification">Verifying Observer Identification Code Sequence (0040,A088), Type 2 (empty when null).</param>
public sealed record DicomVerifyingObserver(DicomPersonName Name, string Organization, DateTimeOffset VerificationDateTime, DicomCodedEntry? Identification = null);
