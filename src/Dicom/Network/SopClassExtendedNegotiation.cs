namespace EdgeCancer.Dicom.Network;

/// <summary>SOP Class Extended Negotiation sub-item (56H, PS3.7 Annex D.3.3.5, Table D.3-11).</summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ServiceClassApplicationInformation">Opaque bytes defined by the service class (PS3.4).</param>
public sealed record SopClassExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ServiceClassApplicationInformation);
