namespace EdgeCancer.Dicom.Network;

/// <summary>A-RELEASE-RQ PDU (PS3.8 §9.3.6, Table 9-24).</summary>
public sealed record ReleaseRequestPdu : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.ReleaseRequest;
}
