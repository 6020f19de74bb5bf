namespace EdgeCancer.Dicom.Network;

/// <summary>Result field of an A-ASSOCIATE-RJ (PS3.8 Table 9-21).</summary>
public enum AssociateRejectResult : byte
{
    /// <summary>1 — rejected-permanent.</summary>
    Permanent = 1,
    /// <summary>2 — rejected-transient.</summary>
    Transient = 2,
}

/// <summary>Source field of an A-ASSOCIATE-RJ (PS3.8 Table 9-21).</summary>
public enum AssociateRejectSource : byte
{
    /// <summary>1 — DICOM UL service-user.</summary>
    ServiceUser = 1,
    /// <summary>2 — DICOM UL service-provider (ACSE related function).</summary>
    ServiceProviderAcse = 2,
    /// <summary>3 — DICOM UL service-provider (presentation related function).</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21).</summary>
/// <param name="Result">Permanent or transient.</param>
/// <param name="Source">Who rejected.</param>
/// <param name="Reason">Reason/Diag.; its meaning depends on <paramref name="Source"/>, see the constants of this type.</param>
public sealed record AssociateRejectPdu(AssociateRejectResult Result, AssociateRejectSource Source, byte Reason) : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateReject;

    /// <summary>Source 1 reason 1: no-reason-given.</summary>
    public const byte UserNoReasonGiven = 1;
    /// <summary>Source 1 reason 2: application-context-name-not-supported.</summary>
    public const byte UserApplicationContextNameNotSupported = 2;
    /// <summary>Source 1 reason 3: calling-AE-title-not-recognized.</summary>
    public const byte UserCallingAETitleNotRecognized = 3;
    /// <summary>Source 1 reason 7: called-AE-title-not-recognized.</summary>
    public const byte UserCalledAETitleNotRecognized = 7;
    /// <summary>Source 2 reason 1: no-reason-given.</summary>
    public const byte AcseNoReasonGiven = 1;
    /// <summary>Source 2 reason 2: protocol-version-not-supported.</summary>
    public const byte AcseProtocolVersionNotSupported = 2;
    /// <summary>Source 3 reason 1: temporary-congestion.</summary>
    public const byte PresentationTemporaryCongestion = 1;
    /// <summary>Source 3 reason 2: local-limit-exceeded.</summary>
    public const byte PresentationLocalLimitExceeded = 2;

    /// <summary>A readable description of the source and reason, as in Table 9-21.</summary>
    public string Description => (Source, Reason) switch
    {
        (AssociateRejectSource.ServiceUser, UserNoReasonGiven) => "service-user: no-reason-given",
        (AssociateRejectSource.ServiceUser, UserApplicationContextNameNotSupported) => "service-user: application-context-name-not-supported",
        (AssociateRejectSource.ServiceUser, UserCallingAETitleNotRecognized) => "service-user: calling-AE-title-not-recognized",
        (AssociateRejectSource.ServiceUser, UserCalledAETitleNotRecognized) => "service-user: called-AE-title-not-recognized",
        (AssociateRejectSource.ServiceProviderAcse, AcseNoReasonGiven) => "service-provider (ACSE): no-reason-given",
        (AssociateRejectSource.ServiceProviderAcse, AcseProtocolVersionNotSupported) => "service-provider (ACSE): protocol-version-not-supported",
        (AssociateRejectSource.ServiceProviderPresentation, PresentationTemporaryCongestion) => "service-provider (presentation): temporary-congestion",
        (AssociateRejectSource.ServiceProviderPresentation, PresentationLocalLimitExceeded) => "service-provider (presentation): local-limit-exceeded",
        _ => $"source {(byte)Source}, reason {Reason} (reserved)",
    };
}
