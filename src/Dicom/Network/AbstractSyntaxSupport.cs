namespace EdgeCancer.Dicom.Network;

/// <summary>How we support one abstract syntax (SOP class) in association negotiation.</summary>
/// <param name="TransferSyntaxes">Our transfer syntax UIDs in order of preference; the first one the peer proposed wins.</param>
public sealed record AbstractSyntaxSupport(IReadOnlyList<string> TransferSyntaxes)
{
    /// <summary>Whether we accept the requestor in the SCU role (the default role, PS3.7 Annex D.3.3.4).</summary>
    public bool AcceptRequestorAsScu { get; init; } = true;

    /// <summary>Whether we accept the requestor in the SCP role (e.g. storage sub-operations of C-GET).</summary>
    public bool AcceptRequestorAsScp { get; init; }
}
