namespace EdgeCancer.Dicom.Network;

/// <summary>How an attempt to establish an association ended, as a value.</summary>
public sealed record AssociationOutcome
{
    /// <summary>The established association, or null.</summary>
    public Association? Association { get; init; }

    /// <summary>The A-ASSOCIATE-RQ sent or received, when there was one.</summary>
    public AssociateRequestPdu? Request { get; init; }

    /// <summary>The A-ASSOCIATE-AC sent or received, when accepted.</summary>
    public AssociateAcceptPdu? Accept { get; init; }

    /// <summary>The A-ASSOCIATE-RJ sent or received, when rejected.</summary>
    public AssociateRejectPdu? Reject { get; init; }

    /// <summary>The A-ABORT sent or received, when aborted.</summary>
    public AbortPdu? Abort { get; init; }

    /// <summary>What went wrong when there is no association.</summary>
    public string? Failure { get; init; }

    /// <summary>True when the association is established.</summary>
    public bool IsEstablished => Association is not null;
}
