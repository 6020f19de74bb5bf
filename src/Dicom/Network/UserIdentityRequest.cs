namespace EdgeCancer.Dicom.Network;

/// <summary>User-Identity-Type of a User Identity Negotiation request (PS3.7 Table D.3-14).</summary>
public enum UserIdentityType : byte
{
    /// <summary>1 — username as a string in UTF-8.</summary>
    Username = 1,
    /// <summary>2 — username and passcode.</summary>
    UsernameAndPasscode = 2,
    /// <summary>3 — Kerberos service ticket.</summary>
    Kerberos = 3,
    /// <summary>4 — SAML assertion.</summary>
    Saml = 4,
    /// <summary>5 — JSON Web Token.</summary>
    Jwt = 5,
}

/// <summary>User Identity Negotiation request sub-item (58H, PS3.7 Annex D.3.3.7, Table D.3-14).</summary>
/// <param name="IdentityType">What the primary field holds.</param>
/// <param name="PositiveResponseRequested">True when the requestor wants a 59H response.</param>
/// <param name="PrimaryField">Username, ticket, assertion or token bytes.</param>
/// <param name="SecondaryField">Passcode for type 2, otherwise empty.</param>
public sealed record UserIdentityRequest(UserIdentityType IdentityType, bool PositiveResponseRequested, ReadOnlyMemory<byte> PrimaryField, ReadOnlyMemory<byte> SecondaryField);
