using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using static EdgeCancer.Dicom.Network.UpperLayerAction;
using static EdgeCancer.Dicom.Network.UpperLayerEvent;
using static EdgeCancer.Dicom.Network.UpperLayerState;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// One DICOM association over a connected stream, driven through the upper layer state machine
/// (<see cref="UpperLayerStateMachine"/>, PS3.8 §9.2). Either side: <see cref="RequestAsync"/> (SCU) or
/// <see cref="AcceptAsync"/> (SCP). Transports PDVs only; DIMSE builds on it.
/// </summary>
/// <remarks>
/// One task may receive while another sends. Timeouts are cancellations: ARTIM in Sta2/Sta5/Sta13 and the idle timeout
/// otherwise (a stream's ReadTimeout does not apply to async reads).
/// </remarks>
public sealed partial class Association : IAsyncDisposable
{
    private enum Indication { Pdv, AssociateIndication, AssociateAccepted, AssociateRejected, ReleaseIndication, Released, Aborted, Closed }

    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly PduReader _reader;
    private readonly AssociationOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _gate = new();
    private UpperLayerState _state = Sta1;
    private long _artimDeadline = -1;
    private IReadOnlyList<PresentationDataValue>? _pending;
    private int _pendingIndex;
    private AssociationReceiveResult? _outcome;
    private bool _drainOnly;
    private bool _transportClosed;
    private int _receiving;
    private HashSet<byte> _acceptedContexts = [];
    private Pdu? _lastPdu;

    private Association(Stream stream, bool isRequestor, AssociationOptions options, uint readLimit)
    {
        _stream = stream;
        _options = options;
        IsRequestor = isRequestor;
        // Segments of 1 MiB: when the peer is ahead of us one read(2) takes many PDUs at once, and few PDUs straddle two
        // segments (those are copied; the others are parsed in place, see PduReader). Peers send PDUs of the size we
        // advertise (128 KiB by default): with 256 KiB segments every other one straddled.
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 1024 * 1024, minimumReadSize: 32 * 1024, leaveOpen: true));
        _reader = new PduReader(_input, readLimit, options.MaxAssociatePduLength);
        RemoteEndPoint = (stream as NetworkStream)?.Socket.RemoteEndPoint;
    }

    /// <summary>The peer's address and port when the association runs over TCP (null over other streams).</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; }

    /// <summary>The underlying connection, for tests.</summary>
    internal Stream Transport => _stream;

    /// <summary>True on the association-requestor (SCU) side.</summary>
    public bool IsRequestor { get; }

    /// <summary>The A-ASSOCIATE-RQ of this association.</summary>
    public AssociateRequestPdu Request { get; private set; } = null!;

    /// <summary>The A-ASSOCIATE-AC of this association.</summary>
    public AssociateAcceptPdu Accept { get; private set; } = null!;

    /// <summary>The current protocol machine state.</summary>
    public UpperLayerState State { get { lock (_gate) return _state; } }

    /// <summary>Data bytes per P-DATA-TF we send: the peer's maximum length minus the 6-byte PDV item header.</summary>
    public int MaxPdvDataLength { get; private set; }

    /// <summary>The accepted presentation contexts by ID.</summary>
    public IReadOnlyDictionary<byte, PresentationContextResult> AcceptedContexts { get; private set; } = new Dictionary<byte, PresentationContextResult>();

    // ---- establishment -------------------------------------------------------------------------------------------

    /// <summary>Connects over TCP (with <see cref="Socket.NoDelay"/>) and requests an association.</summary>
    public static async Task<AssociationOutcome> ConnectAsync(string host, int port, AssociateRequestPdu request, AssociationOptions? options, CancellationToken cancellationToken)
    {
        options ??= new AssociationOptions();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return new AssociationOutcome { Request = request, Failure = $"Cannot connect to {host}:{port}: {e.Message}" };
        }
        return await RequestAsync(new NetworkStream(socket, ownsSocket: true), request, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Requests an association over a connected stream (Evt1 → AE-1, Evt2 → AE-2, then AE-3 or AE-4).</summary>
    public static async Task<AssociationOutcome> RequestAsync(Stream stream, AssociateRequestPdu request, AssociationOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var association = new Association(stream, isRequestor: true, options ?? new AssociationOptions(), request.UserInformation.MaxLength) { Request = request };
        association.Fire(Evt1, null); // AE-1: the transport connection is already open
        association.Fire(Evt2, null); // AE-2
        if (!await association.SendPduAsync(request, cancellationToken).ConfigureAwait(false))
        {
            await association.CloseTransportAsync().ConfigureAwait(false);
            return new AssociationOutcome { Request = request, Failure = "The connection closed while sending the A-ASSOCIATE-RQ." };
        }
        var (indication, result) = await association.ReceiveCoreAsync(cancellationToken).ConfigureAwait(false);
        switch (indication)
        {
            case Indication.AssociateAccepted:
                association.Accept = (AssociateAcceptPdu)association._lastPdu!;
                association.OnEstablished(association.Accept.UserInformation.MaxLength);
                return new AssociationOutcome { Association = association, Request = request, Accept = association.Accept };
            case Indication.AssociateRejected:
                await association.DisposeAsync().ConfigureAwait(false);
                return new AssociationOutcome { Request = request, Reject = (AssociateRejectPdu)association._lastPdu!, Failure = "Association rejected: " + ((AssociateRejectPdu)association._lastPdu!).Description };
            default:
                await association.DisposeAsync().ConfigureAwait(false);
                return new AssociationOutcome { Request = request, Abort = result.Abort, Failure = result.Detail ?? $"Association not established ({result.Kind})." };
        }
    }

    /// <summary>
    /// Serves the acceptor side of a new connection: waits for the A-ASSOCIATE-RQ under ARTIM (Evt5 → AE-5, Evt6 → AE-6),
    /// asks <paramref name="decide"/>, and sends the A-ASSOCIATE-AC (Evt7 → AE-7) or -RJ (Evt8 → AE-8).
    /// </summary>
    public static async Task<AssociationOutcome> AcceptAsync(Stream stream, Func<AssociateRequestPdu, AssociationDecision> decide, AssociationOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        // Until we advertise a maximum, any P-DATA-TF is unexpected; keep the pre-association read limit small.
        var association = new Association(stream, isRequestor: false, options ?? new AssociationOptions(), readLimit: 16384);
        association.Fire(Evt5, null);
        association.StartArtim();
        var (indication, result) = await association.ReceiveCoreAsync(cancellationToken).ConfigureAwait(false);
        if (indication != Indication.AssociateIndication)
        {
            await association.DisposeAsync().ConfigureAwait(false);
            return new AssociationOutcome { Abort = result.Abort, Failure = result.Detail ?? $"No association request ({result.Kind})." };
        }
        var request = (AssociateRequestPdu)association._lastPdu!;
        association.Request = request;
        var decision = decide(request);
        if (decision.Accept is { } accept)
        {
            association.Fire(Evt7, null); // AE-7
            association.Accept = accept;
            association.OnEstablished(request.UserInformation.MaxLength);
            association._reader.MaxDataTransferLength = accept.UserInformation.MaxLength;
            if (!await association.SendPduAsync(accept, cancellationToken).ConfigureAwait(false))
            {
                await association.DisposeAsync().ConfigureAwait(false);
                return new AssociationOutcome { Request = request, Failure = "The connection closed while sending the A-ASSOCIATE-AC." };
            }
            return new AssociationOutcome { Association = association, Request = request, Accept = accept };
        }
        var reject = decision.Reject!;
        association.Fire(Evt8, reject.Description); // AE-8: send RJ, start ARTIM, Sta13
        await association.SendPduAsync(reject, cancellationToken).ConfigureAwait(false);
        association.StartArtim();
        association._outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Closed, "rejected");
        await association.ReceiveCoreAsync(cancellationToken).ConfigureAwait(false); // wait for the peer to close
        await association.DisposeAsync().ConfigureAwait(false);
        return new AssociationOutcome { Request = request, Reject = reject, Failure = "Association rejected: " + reject.Description };
    }

    private void OnEstablished(uint peerMaxLength)
    {
        long fragment = peerMaxLength == 0 ? _options.UnlimitedPeerFragmentLength : (long)peerMaxLength - PresentationDataValue.HeaderLength;
        MaxPdvDataLength = (int)Math.Clamp(fragment, 1, int.MaxValue - PduWriter.SinglePdvOverhead);
        var accepted = Accept.PresentationContexts.Where(pc => pc.IsAccepted).ToDictionary(pc => pc.Id);
        AcceptedContexts = accepted;
        _acceptedContexts = [.. accepted.Keys];
    }
}
