namespace EdgeCancer.Dicom.Network;

/// <summary>The answer to an A-ASSOCIATE-RQ: exactly one of an A-ASSOCIATE-AC or an A-ASSOCIATE-RJ.</summary>
public sealed record AssociationDecision
{
    private AssociationDecision(AssociateAcceptPdu? accept, AssociateRejectPdu? reject)
    {
        Accept = accept;
        Reject = reject;
    }

    /// <summary>The accept PDU, when accepted.</summary>
    public AssociateAcceptPdu? Accept { get; }

    /// <summary>The reject PDU, when rejected.</summary>
    public AssociateRejectPdu? Reject { get; }

    /// <summary>True when the association is accepted.</summary>
    public bool IsAccepted => Accept is not null;

    /// <summary>An acceptance.</summary>
    public static AssociationDecision Accepted(AssociateAcceptPdu accept) => new(accept ?? throw new ArgumentNullException(nameof(accept)), null);

    /// <summary>A rejection.</summary>
    public static AssociationDecision Rejected(AssociateRejectPdu reject) => new(null, reject ?? throw new ArgumentNullException(nameof(reject)));

    /// <summary>A rejection with the given fields (PS3.8 Table 9-21).</summary>
    public static AssociationDecision Rejected(AssociateRejectResult result, AssociateRejectSource source, byte reason) => Rejected(new AssociateRejectPdu(result, source, reason));
}
