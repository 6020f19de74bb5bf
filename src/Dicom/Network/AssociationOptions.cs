namespace EdgeCancer.Dicom.Network;

/// <summary>Timeouts and limits of an <see cref="Association"/>. Immutable.</summary>
public sealed record AssociationOptions
{
    /// <summary>
    /// The ARTIM timer (PS3.8 §9.1.5): how long an acceptor waits for the A-ASSOCIATE-RQ after the connection opens
    /// (Sta2), and how long either side waits for the peer to close after a reject, release or abort (Sta13). Also
    /// bounds the wait for the A-ASSOCIATE-AC/RJ (Sta5).
    /// </summary>
    public TimeSpan ArtimTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>With an association established, the longest time without any PDU from the peer before we abort.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a requestor waits for the TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The largest A-ASSOCIATE-RQ/AC PDU accepted before anything is allocated for it.</summary>
    public int MaxAssociatePduLength { get; init; } = PduReader.DefaultMaxAssociatePduLength;

    /// <summary>Data bytes per P-DATA-TF we send when the peer advertised no maximum length (0).</summary>
    public int UnlimitedPeerFragmentLength { get; init; } = 1024 * 1024;

    /// <summary>
    /// Accepted associations get a thread of their own for their receive loop (<see cref="ReceiveThread"/>), whose
    /// reads wait in the kernel instead of going through the socket engine and the thread pool. False: every read is
    /// asynchronous on the thread pool.
    /// </summary>
    public bool ReceiveThreadPerAssociation { get; init; } = true;

    /// <summary>Called on every state transition, for logs and diagnostics. Must not throw or block.</summary>
    public Action<AssociationTrace>? Trace { get; init; }
}
