namespace EdgeCancer.Dicom.Network;

/// <summary>User Identity Negotiation response sub-item (59H, PS3.7 Annex D.3.3.7, Table D.3-15).</summary>
/// <param name="ServerResponse">Kerberos server ticket, SAML response or JWT; empty for the other identity types.</param>
public sealed record UserIdentityResponse(ReadOnlyMemory<byte> ServerResponse);
