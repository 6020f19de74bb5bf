namespace EdgeCancer.Dicom.Network;

/// <summary>Result/Reason of a presentation context in an A-ASSOCIATE-AC (PS3.8 Table 9-18).</summary>
public enum PresentationContextResultReason : byte
{
    /// <summary>0 — acceptance.</summary>
    Acceptance = 0,
    /// <summary>1 — user-rejection.</summary>
    UserRejection = 1,
    /// <summary>2 — no-reason (provider rejection).</summary>
    NoReason = 2,
    /// <summary>3 — abstract-syntax-not-supported (provider rejection).</summary>
    AbstractSyntaxNotSupported = 3,
    /// <summary>4 — transfer-syntaxes-not-supported (provider rejection).</summary>
    TransferSyntaxesNotSupported = 4,
}

/// <summary>A presentation context item of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2, Table 9-18).</summary>
/// <param name="Id">The ID of the proposed context this answers.</param>
/// <param name="Result">Acceptance or the reason for rejection.</param>
/// <param name="TransferSyntax">The accepted transfer syntax; not significant unless accepted (Table 9-18).</param>
public sealed record PresentationContextResult(byte Id, PresentationContextResultReason Result, string TransferSyntax)
{
    /// <summary>True when the result is acceptance.</summary>
    public bool IsAccepted => Result == PresentationContextResultReason.Acceptance;
}
