namespace EdgeCancer.Dicom.Network;

/// <summary>Source field of an A-ABORT PDU (PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    /// <summary>0 — DICOM UL service-user (initiated abort).</summary>
    ServiceUser = 0,
    /// <summary>2 — DICOM UL service-provider (initiated abort).</summary>
    ServiceProvider = 2,
}

/// <summary>Reason/Diag. field of an A-ABORT PDU when the source is the service-provider (PS3.8 Table 9-26).</summary>
public enum AbortReason : byte
{
    /// <summary>0 — reason-not-specified.</summary>
    NotSpecified = 0,
    /// <summary>1 — unrecognized-PDU.</summary>
    UnrecognizedPdu = 1,
    /// <summary>2 — unexpected-PDU.</summary>
    UnexpectedPdu = 2,
    /// <summary>4 — unrecognized-PDU parameter.</summary>
    UnrecognizedPduParameter = 4,
    /// <summary>5 — unexpected-PDU parameter.</summary>
    UnexpectedPduParameter = 5,
    /// <summary>6 — invalid-PDU-parameter value.</summary>
    InvalidPduParameterValue = 6,
}

/// <summary>A-ABORT PDU (PS3.8 §9.3.8, Table 9-26).</summary>
/// <param name="Source">Who aborted.</param>
/// <param name="Reason">Why; only significant when <paramref name="Source"/> is the service-provider.</param>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.Abort;
}
