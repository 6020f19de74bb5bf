namespace EdgeCancer.Dicom.Network;

/// <summary>How this toolkit identifies itself in the user information item (PS3.7 Annex D.3.3.2).</summary>
public static class Implementation
{
    /// <summary>Our Implementation Class UID (a 2.25 UUID-derived UID, PS3.5 §B.2).</summary>
    public const string ClassUid = "2.25.211131669542239726311503682532919006203";

    /// <summary>Our Implementation Version Name (at most 16 characters).</summary>
    public const string VersionName = "EDGECANCER_0.1";
}
