namespace EdgeCancer.Dicom.Network;

/// <summary>What an acceptor allows, as input to <see cref="AssociationNegotiator.Negotiate"/>. Immutable.</summary>
public sealed record AssociationPolicy
{
    /// <summary>Our AE title; a request whose called AE title differs is rejected (PS3.8 Table 9-21, reason 7).</summary>
    public required string AETitle { get; init; }

    /// <summary>When true, the calling AE title must be in <see cref="KnownCallingAETitles"/> (else reason 3).</summary>
    public bool RequireKnownCallingAE { get; init; }

    /// <summary>The remote AE titles we recognize.</summary>
    public IReadOnlySet<string> KnownCallingAETitles { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The most associations open at once; one more is rejected transiently (local-limit-exceeded).</summary>
    public int MaxAssociations { get; init; } = int.MaxValue;

    /// <summary>Supported abstract syntax UIDs and our transfer syntax preferences for each.</summary>
    public IReadOnlyDictionary<string, AbstractSyntaxSupport> AbstractSyntaxes { get; init; } = new Dictionary<string, AbstractSyntaxSupport>();

    /// <summary>The maximum P-DATA-TF variable-field length we accept (Maximum Length sub-item, PS3.8 Annex D.1).</summary>
    public uint MaxPduLength { get; init; } = 131072;

    /// <summary>Our Implementation Class UID.</summary>
    public string ImplementationClassUid { get; init; } = Implementation.ClassUid;

    /// <summary>Our Implementation Version Name.</summary>
    public string ImplementationVersionName { get; init; } = Implementation.VersionName;
}
