namespace EdgeCancer.Dicom.Network;

/// <summary>SOP Class Common Extended Negotiation sub-item (57H, PS3.7 Annex D.3.3.6, Table D.3-12).</summary>
/// <param name="SopClassUid">The specialized SOP class.</param>
/// <param name="ServiceClassUid">The service class it belongs to.</param>
/// <param name="RelatedGeneralSopClassUids">General SOP classes it specializes (Table D.3-13).</param>
public sealed record SopClassCommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClassUids);
