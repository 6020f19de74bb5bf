using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Network;

/// <summary>The association was rejected or could not be established; the message names the reason.</summary>
public sealed class DicomAssociationException(string message, AssociateRejectPdu? reject = null) : Exception(message)
{
    /// <summary>The A-ASSOCIATE-RJ, when the peer rejected.</summary>
    public AssociateRejectPdu? Reject { get; } = reject;
}

/// <summary>
/// An SCU association: C-ECHO, C-STORE, C-FIND, C-MOVE and C-GET requests whose responses come back as
/// <see cref="IAsyncEnumerable{T}"/>; C-STORE sub-operations of a C-GET go to the handler given at connect.
/// </summary>
public sealed class DicomClient : IAsyncDisposable
{
    private DicomClient(DimseChannel channel) => Channel = channel;

    /// <summary>The DIMSE channel of the association.</summary>
    public DimseChannel Channel { get; }

    /// <summary>The Maximum Length we advertise when the caller gives none (PS3.8 D.1).</summary>
    public const int DefaultMaxPduLength = 256 * 1024;

    /// <summary>
    /// Opens an association proposing <paramref name="contexts"/>; <paramref name="maxPduLength"/> is the Maximum Length
    /// sub-item we advertise (PS3.8 D.1: the largest P-DATA-TF variable field we accept; 0 means no limit).
    /// </summary>
    public static async Task<DicomClient> ConnectAsync(string host, int port, string callingAE, string calledAE,
        IReadOnlyList<PresentationContextRequest> contexts, IDimseRequestHandler? handler = null,
        IReadOnlyList<RoleSelection>? roles = null, AssociationOptions? options = null, CancellationToken cancellationToken = default,
        int maxPduLength = DefaultMaxPduLength)
    {
        var request = new AssociateRequestPdu(calledAE, callingAE, contexts, new UserInformation
        {
            MaxLength = (uint)maxPduLength,
            ImplementationClassUid = DicomFile.ImplementationClassUid,
            ImplementationVersionName = DicomFile.ImplementationVersionName,
            RoleSelections = roles ?? [],
        });
        var outcome = await Association.ConnectAsync(host, port, request, options, cancellationToken).ConfigureAwait(false);
        if (!outcome.IsEstablished)
        {
            if (outcome.Reject is { } rj) throw new DicomAssociationException($"Association rejected by {calledAE}@{host}:{port}: {rj}", rj);
            throw new DicomAssociationException($"Association with {calledAE}@{host}:{port} failed: {outcome.Failure ?? outcome.Abort?.ToString() ?? "no answer"}");
        }
        var channel = new DimseChannel(outcome.Association!, handler);
        channel.Start();
        return new DicomClient(channel);
    }

    /// <summary>Standard proposal of one abstract syntax with the uncompressed transfer syntaxes (Explicit LE first).</summary>
    public static PresentationContextRequest Propose(byte id, string abstractSyntax, params string[] transferSyntaxes) =>
        new(id, abstractSyntax, transferSyntaxes.Length > 0 ? transferSyntaxes
            : [DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value]);

    private byte ContextFor(string abstractSyntax, string? ts = null) =>
        Channel.FindPresentationContext(abstractSyntax, ts)
        ?? throw new DicomNetworkException($"The peer accepted no presentation context for {new DicomUid(abstractSyntax).Name}.");

    /// <summary>C-ECHO.</summary>
    public Task<DicomResponse> EchoAsync(CancellationToken cancellationToken = default)
    {
        var rq = DicomRequest.CEcho(Channel.NextMessageId());
        rq.PresentationContextId = ContextFor("1.2.840.10008.1.1");
        return Channel.RequestSingleAsync(rq, null, cancellationToken);
    }

    /// <summary>
    /// C-STORE of a file. When a context was accepted with the file's own transfer syntax, the dataset's bytes are
    /// streamed from the file unchanged; otherwise an uncompressed dataset is re-encoded in the accepted syntax.
    /// </summary>
    public Task<DicomResponse> StoreAsync(string path, CancellationToken cancellationToken = default) =>
        DimseStoreSender.SendFileAsync(Channel, path, null, null, cancellationToken);

    /// <summary>C-STORE of a dataset in memory.</summary>
    public Task<DicomResponse> StoreAsync(DicomDataset dataset, CancellationToken cancellationToken = default)
    {
        var sopClass = dataset.GetString(DicomTags.SOPClassUID);
        var rq = DicomRequest.CStore(sopClass, dataset.GetString(DicomTags.SOPInstanceUID), Channel.NextMessageId(), dataset);
        rq.PresentationContextId = ContextFor(sopClass);
        return Channel.RequestSingleAsync(rq, null, cancellationToken);
    }

    /// <summary>C-FIND: yields each pending response (with its identifier) and the final one.</summary>
    public IAsyncEnumerable<DicomResponse> FindAsync(string sopClassUid, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        var rq = DicomRequest.CFind(sopClassUid, Channel.NextMessageId(), identifier);
        rq.PresentationContextId = ContextFor(sopClassUid);
        return Channel.RequestAsync(rq, null, cancellationToken);
    }

    /// <summary>C-MOVE to <paramref name="destination"/>: yields progress responses and the final one.</summary>
    public IAsyncEnumerable<DicomResponse> MoveAsync(string sopClassUid, string destination, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        var rq = DicomRequest.CMove(sopClassUid, Channel.NextMessageId(), destination, identifier);
        rq.PresentationContextId = ContextFor(sopClassUid);
        return Channel.RequestAsync(rq, null, cancellationToken);
    }

    /// <summary>C-GET: instances arrive as C-STORE requests to the handler given at connect.</summary>
    public IAsyncEnumerable<DicomResponse> GetAsync(string sopClassUid, DicomDataset identifier, CancellationToken cancellationToken = default)
    {
        var rq = DicomRequest.CGet(sopClassUid, Channel.NextMessageId(), identifier);
        rq.PresentationContextId = ContextFor(sopClassUid);
        return Channel.RequestAsync(rq, null, cancellationToken);
    }

    /// <summary>Releases the association.</summary>
    public Task ReleaseAsync(CancellationToken cancellationToken = default) => Channel.ReleaseAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Channel.DisposeAsync();
}
