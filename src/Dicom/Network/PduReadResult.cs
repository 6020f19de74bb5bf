namespace EdgeCancer.Dicom.Network;

/// <summary>What <see cref="PduReader.ReadAsync"/> found on the wire.</summary>
public enum PduReadStatus
{
    /// <summary>A complete, well-formed PDU.</summary>
    Pdu,
    /// <summary>The peer closed the connection on a PDU boundary (transport closed, Evt17).</summary>
    EndOfStream,
    /// <summary>An unrecognized or invalid PDU, or a connection closed in the middle of one (Evt19).</summary>
    Invalid,
}

/// <summary>The outcome of reading one PDU; invalid input is a value carrying the A-ABORT reason to answer with.</summary>
/// <param name="Status">What was read.</param>
/// <param name="Pdu">The PDU when <paramref name="Status"/> is <see cref="PduReadStatus.Pdu"/>.</param>
/// <param name="Error">The A-ABORT reason (Table 9-26) when the input was invalid.</param>
/// <param name="Detail">What was wrong, for diagnostics.</param>
public readonly record struct PduReadResult(PduReadStatus Status, Pdu? Pdu, AbortReason Error, string? Detail)
{
    internal static PduReadResult Ok(Pdu pdu) => new(PduReadStatus.Pdu, pdu, AbortReason.NotSpecified, null);

    internal static PduReadResult End => new(PduReadStatus.EndOfStream, null, AbortReason.NotSpecified, null);

    internal static PduReadResult Invalid(AbortReason reason, string detail) => new(PduReadStatus.Invalid, null, reason, detail);
}
