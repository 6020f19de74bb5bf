namespace EdgeCancer.Dicom.Network;

/// <summary>
/// The user information item (50H) of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2.3, Table 9-16) and its sub-items
/// (PS3.8 Annex D.1, PS3.7 Annex D.3.3). Sub-items of unknown type are skipped when read.
/// </summary>
public sealed record UserInformation
{
    /// <summary>Maximum length of the variable field of P-DATA-TF PDUs the sender can receive (51H, Table D.1-1); 0 means no limit.</summary>
    public uint MaxLength { get; init; }

    /// <summary>Implementation Class UID (52H, PS3.7 Table D.3-1). Mandatory on the wire.</summary>
    public string ImplementationClassUid { get; init; } = "";

    /// <summary>Implementation Version Name (55H, PS3.7 Table D.3-3), 1–16 characters, or null.</summary>
    public string? ImplementationVersionName { get; init; }

    /// <summary>Asynchronous Operations Window (53H, PS3.7 Table D.3-7), or null when not negotiated.</summary>
    public AsynchronousOperationsWindow? AsynchronousOperationsWindow { get; init; }

    /// <summary>SCP/SCU Role Selection items (54H, PS3.7 Table D.3-9), one per SOP class.</summary>
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    /// <summary>SOP Class Extended Negotiation items (56H, PS3.7 Table D.3-11).</summary>
    public IReadOnlyList<SopClassExtendedNegotiation> ExtendedNegotiations { get; init; } = [];

    /// <summary>SOP Class Common Extended Negotiation items (57H, PS3.7 Table D.3-12); request only.</summary>
    public IReadOnlyList<SopClassCommonExtendedNegotiation> CommonExtendedNegotiations { get; init; } = [];

    /// <summary>User Identity Negotiation request (58H, PS3.7 Table D.3-14), or null.</summary>
    public UserIdentityRequest? UserIdentityRequest { get; init; }

    /// <summary>User Identity Negotiation response (59H, PS3.7 Table D.3-15), or null.</summary>
    public UserIdentityResponse? UserIdentityResponse { get; init; }
}
