namespace EdgeCancer.Dicom.Network;

/// <summary>What <see cref="Association.ReceiveAsync"/> returned.</summary>
public enum AssociationReceiveKind
{
    /// <summary>A presentation data value (P-DATA indication).</summary>
    Pdv,
    /// <summary>The peer asked to release (A-RELEASE indication, Sta8); answer with <see cref="Association.SendReleaseResponseAsync"/>.</summary>
    ReleaseRequested,
    /// <summary>The association was released; the connection is closed.</summary>
    Released,
    /// <summary>The association was aborted by the peer or by us (A-ABORT / A-P-ABORT); the connection is closed.</summary>
    Aborted,
    /// <summary>The connection closed without release or abort (A-P-ABORT from the transport).</summary>
    Closed,
}

/// <summary>One indication from an established association.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Pdv">The PDV when <paramref name="Kind"/> is <see cref="AssociationReceiveKind.Pdv"/>; its data is valid until the next receive.</param>
/// <param name="Abort">The A-ABORT received or sent, when aborted.</param>
/// <param name="AbortedLocally">True when we sent the A-ABORT (protocol error, timeout, local request).</param>
/// <param name="Detail">A description for diagnostics.</param>
public readonly record struct AssociationReceiveResult(AssociationReceiveKind Kind, PresentationDataValue Pdv, AbortPdu? Abort, bool AbortedLocally, string? Detail)
{
    internal static AssociationReceiveResult Data(PresentationDataValue pdv) => new(AssociationReceiveKind.Pdv, pdv, null, false, null);

    internal static AssociationReceiveResult Of(AssociationReceiveKind kind, string? detail = null) => new(kind, default, null, false, detail);

    internal static AssociationReceiveResult AbortedBy(AbortPdu abort, bool locally, string? detail) => new(AssociationReceiveKind.Aborted, default, abort, locally, detail);
}
