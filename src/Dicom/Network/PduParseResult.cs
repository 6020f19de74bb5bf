namespace EdgeCancer.Dicom.Network;

/// <summary>The outcome of decoding a PDU body: a PDU, or the A-ABORT reason and a description of what was wrong.</summary>
/// <param name="Pdu">The decoded PDU, or null on error.</param>
/// <param name="Error">The A-ABORT reason to send when <paramref name="Pdu"/> is null.</param>
/// <param name="Detail">What was wrong, for diagnostics.</param>
public readonly record struct PduParseResult(Pdu? Pdu, AbortReason Error, string? Detail)
{
    /// <summary>True when a PDU was decoded.</summary>
    public bool IsSuccess => Pdu is not null;

    internal static PduParseResult Ok(Pdu pdu) => new(pdu, AbortReason.NotSpecified, null);

    internal static PduParseResult Failure(AbortReason reason, string detail) => new(null, reason, detail);
}
