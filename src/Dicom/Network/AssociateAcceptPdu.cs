namespace EdgeCancer.Dicom.Network;

/// <summary>A-ASSOCIATE-AC PDU (PS3.8 §9.3.3, Table 9-17).</summary>
/// <param name="CalledAETitle">Sent back as in the request; not tested when received (Table 9-17).</param>
/// <param name="CallingAETitle">Sent back as in the request; not tested when received (Table 9-17).</param>
/// <param name="PresentationContexts">One result per proposed presentation context (Table 9-18).</param>
/// <param name="UserInformation">The user information item (Table 9-16).</param>
public sealed record AssociateAcceptPdu(
    string CalledAETitle,
    string CallingAETitle,
    IReadOnlyList<PresentationContextResult> PresentationContexts,
    UserInformation UserInformation) : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.AssociateAccept;

    /// <summary>Protocol-version bit field; bit 0 set means version 1.</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <summary>The application context name (Table 9-12).</summary>
    public string ApplicationContextName { get; init; } = AssociateRequestPdu.DicomApplicationContextName;
}
