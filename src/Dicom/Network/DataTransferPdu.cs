namespace EdgeCancer.Dicom.Network;

/// <summary>P-DATA-TF PDU (PS3.8 §9.3.5, Table 9-22): one or more presentation data value items.</summary>
/// <param name="Values">The PDV items in order.</param>
public sealed record DataTransferPdu(IReadOnlyList<PresentationDataValue> Values) : Pdu
{
    /// <inheritdoc/>
    public override PduType Type => PduType.DataTransfer;
}
