namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>Completion Flag (0040,A491): the estimated degree of completeness of the document (PS3.3 C.17.2.1).</summary>
public enum DicomCompletionFlag
{
    /// <summary>PARTIAL: incomplete.</summary>
    Partial,
    /// <summary>COMPLETE: complete.</summary>
    Complete,
}

/// <summary>Verification Flag (0040,A493) (PS3.3 C.17.2.1).</summary>
public enum DicomVerificationFlag
{
    /// <summary>UNVERIFIED: not attested to.</summary>
    Unverified,
    /// <summary>VERIFIED: attested to by a Verifying Observer who is accountable for its content; only with COMPLETE.</summary>
    Verified,
}

/// <summary>Preliminary Flag (0040,A496) (PS3.3 C.17.2.1).</summary>
public enum DicomPreliminaryFlag
{
    /// <summary>PRELIMINARY: subject to later change.</summary>
    Preliminary,
    /// <summary>FINAL: the content is final.</summary>
    Final,
}
