namespace EdgeCancer.Dicom.Network;

/// <summary>A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2, Table 9-11).</summary>
/// <param name="CalledAETitle">Destination AE title, without padding (1–16 characters).</param>
/// <param name="CallingAETitle">Source AE title, without padding (1–16 characters).</param>
/// <param name="PresentationContexts">The proposed presentation contexts (Table 9-13).</param>
/// <param name="UserInformation">The user information item (Table 9-16).</param>
public sealed record AssociateRequestPdu(
    string CalledAETitle,
    string CallingAETitle,
    IReadOnlyList<PresentationContextRequest> PresentationContexts,
    UserInformation UserInformation) : Pdu
{
    /// <summary>The DICOM application context name (PS3.7 Annex A.2.1).</summary>
    public const string DicomApplicationContextName = "1.2.840.10008.3.1.1.1";

    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateRequest;

    /// <summary>Protocol-version bit field; bit 0 set means version 1 (PS3.8 §9.3.2).</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <summary>The application context name (Table 9-12).</summary>
    public string ApplicationContextName { get; init; } = DicomApplicationContextName;
}
