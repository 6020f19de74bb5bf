namespace EdgeCancer.Dicom.Network;

/// <summary>Who sent a request, on which association.</summary>
public sealed record DicomRequestContext(DimseChannel Channel, DicomRequest Request)
{
    /// <summary>The peer's AE title.</summary>
    public string CallingAE => Channel.Association.Request.CallingAETitle;
    /// <summary>Our AE title as the peer called it.</summary>
    public string CalledAE => Channel.Association.Request.CalledAETitle;
    /// <summary>The transfer syntax of the request's presentation context.</summary>
    public DicomTransferSyntax TransferSyntax => Channel.TransferSyntaxOf(Request.PresentationContextId);
}

/// <summary>An outcome with an optional Error Comment.</summary>
public readonly record struct DicomOutcome(DicomStatus Status, string? ErrorComment = null)
{
    /// <summary>Success.</summary>
    public static readonly DicomOutcome Success = new(DicomStatus.Success);
}

/// <summary>A C-STORE in progress: the data set's bytes are written to <see cref="Data"/> as they arrive.</summary>
public interface IStoreOperation
{
    /// <summary>Where the received data set bytes go (in the context's transfer syntax).</summary>
    Stream Data { get; }
    /// <summary>All bytes arrived: make the instance durable and return the status to send.</summary>
    ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken);
    /// <summary>The data did not arrive whole: discard it.</summary>
    ValueTask AbandonAsync();
}

/// <summary>Storage SCP.</summary>
public interface IStoreHandler
{
    /// <summary>Starts receiving an instance; may refuse at once (e.g. out of resources) by returning an outcome instead.</summary>
    ValueTask<(IStoreOperation? Operation, DicomOutcome Refusal)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken);
}

/// <summary>Query SCP (C-FIND).</summary>
public interface IFindHandler
{
    /// <summary>Yields matches (status Pending with an identifier) and then a final outcome (a null dataset).</summary>
    IAsyncEnumerable<(DicomOutcome Outcome, DicomDataset? Identifier)> FindAsync(DicomRequestContext context, DicomDataset identifier, CancellationToken cancellationToken);
}

/// <summary>Progress of C-MOVE/C-GET sub-operations.</summary>
public readonly record struct DicomSubOperations(int Remaining, int Completed, int Failed, int Warning);

/// <summary>Retrieve SCP (C-MOVE and C-GET).</summary>
public interface IRetrieveHandler
{
    /// <summary>C-MOVE: performs the sub-operations towards <paramref name="destination"/>, yielding progress and finally the outcome.</summary>
    IAsyncEnumerable<(DicomOutcome Outcome, DicomSubOperations Progress)> MoveAsync(DicomRequestContext context, string destination, DicomDataset identifier, CancellationToken cancellationToken);

    /// <summary>C-GET: sends the instances on the same association (through <see cref="DicomRequestContext.Channel"/>), yielding progress and finally the outcome.</summary>
    IAsyncEnumerable<(DicomOutcome Outcome, DicomSubOperations Progress)> GetAsync(DicomRequestContext context, DicomDataset identifier, CancellationToken cancellationToken);
}

/// <summary>
/// A request handler that is told when its association has ended (released, aborted or closed), e.g. to log the
/// association. <see cref="DicomServer"/> makes one handler per association, so the handler's creation marks the
/// association's establishment.
/// </summary>
public interface IAssociationLifetimeHandler : IDimseRequestHandler
{
    /// <summary>
    /// Called once after the association ended; <see cref="DimseChannel.Outcome"/> says how (null when the server's
    /// hard stop ended it) and <see cref="DimseChannel.Association"/> names the peer.
    /// </summary>
    ValueTask AssociationEndedAsync(DimseChannel channel);
}
