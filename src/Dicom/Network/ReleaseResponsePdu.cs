namespace EdgeCancer.Dicom.Network;

/// <summary>A-RELEASE-RP PDU (PS3.8 §9.3.7, Table 9-25).</summary>
public sealed record ReleaseResponsePdu : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.ReleaseResponse;
}
