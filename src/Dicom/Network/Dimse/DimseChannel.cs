using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Network;

/// <summary>Receives the requests that arrive on a <see cref="DimseChannel"/> (SCP services, or C-STORE sub-operations of a C-GET on the SCU side).</summary>
public interface IDimseRequestHandler
{
    /// <summary>
    /// Called when a request's command set is complete and a data set follows, before any data arrives: returns the
    /// stream the data set's bytes are written to as they arrive (a C-STORE's file), or null to keep them in memory.
    /// </summary>
    ValueTask<Stream?> OpenDataSinkAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Handles a complete request. <paramref name="dataSink"/> is the stream returned by <see cref="OpenDataSinkAsync"/>
    /// (null when the data set was parsed into <see cref="DicomMessage.Dataset"/>). C-STORE requests are handled in
    /// order before the next message is read; C-FIND/C-MOVE/C-GET run beside the receive loop so C-CANCEL can reach them
    /// through <paramref name="cancellationToken"/>.
    /// </summary>
    Task HandleAsync(DimseChannel channel, DicomRequest request, Stream? dataSink, CancellationToken cancellationToken);

    /// <summary>
    /// Called when the data of a request could not be received whole (the association ended in the middle of the data
    /// set); the handler discards what the sink holds.
    /// </summary>
    ValueTask AbandonAsync(DicomRequest request, Stream? dataSink);
}

/// <summary>
/// DIMSE over an established association (PS3.7 §9–10): assembles command and data PDVs into messages, routes
/// responses to the operation that awaits them, requests to a handler, and C-CANCEL to the running operation; sends
/// messages with command and data in separate PDUs under one send lock. Used by both SCP and SCU.
/// </summary>
public sealed class DimseChannel : IAsyncDisposable
{
    private readonly Association _association;
    private readonly IDimseRequestHandler? _handler;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<ushort, Channel<DicomResponse>> _pending = new();
    private readonly ConcurrentDictionary<ushort, CancellationTokenSource> _running = new();
    private readonly List<Task> _operations = [];
    private readonly CancellationTokenSource _life = new();
    private int _nextMessageId;
    private Task? _loop;
    private ReceiveThread? _receiveThread;

    /// <summary>Creates a channel over <paramref name="association"/>; <paramref name="handler"/> receives incoming requests.</summary>
    public DimseChannel(Association association, IDimseRequestHandler? handler)
    {
        _association = association;
        _handler = handler;
    }

    /// <summary>The association.</summary>
    public Association Association => _association;

    /// <summary>How the association ended, once <see cref="Completion"/> is done.</summary>
    public AssociationReceiveResult? Outcome { get; private set; }

    /// <summary>Completes when the association is released, aborted or closed.</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>The next message ID for a request we send.</summary>
    public ushort NextMessageId()
    {
        while (true)
        {
            var id = (ushort)Interlocked.Increment(ref _nextMessageId);
            if (id != 0) return id;
        }
    }

    /// <summary>
    /// Starts the receive loop: on the connection's <see cref="Network.ReceiveThread"/> when its transport has one
    /// (accepted associations, see <see cref="AssociationOptions.ReceiveThreadPerAssociation"/>), else on the thread pool.
    /// </summary>
    public void Start()
    {
        if (_loop is not null) return;
        if (_association.Transport is ReceiveThreadNetworkStream { ReceiveThread: { } thread })
        {
            thread.Name = $"DICOM {_association.Request.CallingAETitle}";
            _receiveThread = thread;
            _loop = RunOnReceiveThreadAsync(thread);
            return;
        }
        _loop = Task.Run(() => ReceiveLoopAsync(_life.Token));
    }

    // The thread belongs to the connection (AssociationListener ends it). Posted even when Start runs on that thread:
    // Start returns to its caller, which waits for the loop, and the loop runs once that caller has suspended.
    private async Task RunOnReceiveThreadAsync(ReceiveThread thread)
    {
        await thread.Yield();
        await ReceiveLoopAsync(_life.Token).ConfigureAwait(false);
    }

    /// <summary>The transfer syntax accepted for a presentation context.</summary>
    public DicomTransferSyntax TransferSyntaxOf(byte presentationContextId) =>
        _association.AcceptedContexts.TryGetValue(presentationContextId, out var pc)
            ? DicomTransferSyntax.Parse(pc.TransferSyntax)
            : throw new ArgumentException($"Presentation context {presentationContextId} was not accepted.");

    /// <summary>The abstract syntax proposed for a presentation context.</summary>
    public string AbstractSyntaxOf(byte presentationContextId) =>
        _association.Request.PresentationContexts.FirstOrDefault(p => p.Id == presentationContextId)?.AbstractSyntax ?? string.Empty;

    /// <summary>Finds an accepted presentation context for <paramref name="abstractSyntax"/>, preferring <paramref name="transferSyntax"/>.</summary>
    public byte? FindPresentationContext(string abstractSyntax, string? transferSyntax = null)
    {
        byte? any = null;
        foreach (var pc in _association.Request.PresentationContexts)
        {
            if (pc.AbstractSyntax != abstractSyntax) continue;
            if (!_association.AcceptedContexts.TryGetValue(pc.Id, out var r) || !r.IsAccepted) continue;
            if (transferSyntax is null || r.TransferSyntax == transferSyntax) return pc.Id;
            any ??= pc.Id;
        }
        return any;
    }

    /// <summary>
    /// Sends a message: the command set, then the data set from <paramref name="data"/> (raw bytes already in the
    /// context's transfer syntax) or encoded from <see cref="DicomMessage.Dataset"/>.
    /// </summary>
    public async Task<bool> SendAsync(DicomMessage message, Stream? data = null, CancellationToken cancellationToken = default)
    {
        var pc = message.PresentationContextId;
        var command = message.EncodeCommand();
        byte[]? encoded = null;
        if (data is null && message.Dataset is not null)
        {
            using var ms = new MemoryStream();
            DicomFile.WriteDataset(ms, message.Dataset, TransferSyntaxOf(pc));
            encoded = ms.ToArray();
        }
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await _association.SendPdvAsync(pc, true, command, true, cancellationToken).ConfigureAwait(false)) return false;
            if (data is not null) return await _association.SendPdvAsync(pc, false, data, cancellationToken).ConfigureAwait(false);
            if (encoded is not null) return await _association.SendPdvAsync(pc, false, encoded, true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally { _sendLock.Release(); }
    }

    /// <summary>
    /// Sends a request and yields its responses until the final (non-pending) one. Cancelling the enumeration's token
    /// sends C-CANCEL and keeps reading until the peer's final response.
    /// </summary>
    public async IAsyncEnumerable<DicomResponse> RequestAsync(DicomRequest request, Stream? data = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var responses = Channel.CreateUnbounded<DicomResponse>();
        if (!_pending.TryAdd(request.MessageID, responses)) throw new InvalidOperationException($"Message ID {request.MessageID} is already in use.");
        try
        {
            Start();
            if (!await SendAsync(request, data, CancellationToken.None).ConfigureAwait(false))
                throw new DicomNetworkException($"The association ended before the {request.CommandField} could be sent.");
            bool cancelSent = false;
            using var reg = cancellationToken.Register(() =>
            {
                if (cancelSent) return;
                cancelSent = true;
                var cancel = DicomRequest.CCancel(request.MessageID);
                cancel.PresentationContextId = request.PresentationContextId;
                _ = SendAsync(cancel, null, CancellationToken.None);
            });
            while (true)
            {
                DicomResponse response;
                try
                {
                    response = await responses.Reader.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    throw new DicomNetworkException($"The association ended before the final response to {request.CommandField} (message {request.MessageID}): {Outcome?.Detail ?? Outcome?.Kind.ToString() ?? "closed"}.");
                }
                yield return response;
                if (!response.Status.IsPending) yield break;
            }
        }
        finally
        {
            _pending.TryRemove(request.MessageID, out _);
        }
    }

    /// <summary>Sends a request that has one response (C-ECHO, C-STORE) and returns it.</summary>
    public async Task<DicomResponse> RequestSingleAsync(DicomRequest request, Stream? data = null, CancellationToken cancellationToken = default)
    {
        DicomResponse? last = null;
        await foreach (var r in RequestAsync(request, data, cancellationToken).ConfigureAwait(false)) last = r;
        return last ?? throw new DicomNetworkException($"No response to {request.CommandField}.");
    }

    /// <summary>Asks the peer to release and waits for the association to end.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        Start();
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { await _association.RequestReleaseAsync(cancellationToken).ConfigureAwait(false); }
        finally { _sendLock.Release(); }
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Aborts the association.</summary>
    public async Task AbortAsync()
    {
        await _association.AbortAsync(CancellationToken.None).ConfigureAwait(false);
        _life.Cancel();
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var commandBytes = new MemoryStream();
        DicomMessage? awaitingData = null;
        Stream? sink = null;
        bool sinkIsMemory = false;
        string? sinkFailure = null; // the data set could not be written (disk full, I/O error): drain it, then answer A700
        try
        {
            while (true)
            {
                // Back to the receive thread after a wait that resumed on the thread pool (no-op when already on it).
                if (_receiveThread is { } thread) await thread.SwitchTo();
                var result = await _association.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                if (result.Kind == AssociationReceiveKind.ReleaseRequested)
                {
                    // Finish in-flight operations before answering (graceful release).
                    await WaitOperationsAsync().ConfigureAwait(false);
                    await _sendLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    try { result = await _association.SendReleaseResponseAsync(CancellationToken.None).ConfigureAwait(false); }
                    finally { _sendLock.Release(); }
                    Outcome = result;
                    break;
                }
                if (result.Kind != AssociationReceiveKind.Pdv)
                {
                    Outcome = result;
                    break;
                }
                var pdv = result.Pdv;
                if (pdv.IsCommand)
                {
                    if (awaitingData is not null)
                    {
                        await _association.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                        Outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Aborted, "a command PDV arrived before the previous message's data set was complete");
                        break;
                    }
                    commandBytes.Write(pdv.Data.Span);
                    if (commandBytes.Length > 1 << 20) throw new DicomNetworkException("A command set larger than 1 MiB.");
                    if (!pdv.IsLast) continue;
                    DicomMessage message;
                    try
                    {
                        message = DicomMessage.FromCommand(DicomMessage.DecodeCommand(commandBytes.ToArray()));
                    }
                    catch (DicomReadException ex)
                    {
                        await _association.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                        Outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Aborted, "an unreadable command set: " + ex.Message);
                        break;
                    }
                    commandBytes.SetLength(0);
                    message.PresentationContextId = pdv.PresentationContextId;
                    if (message.HasDataset)
                    {
                        awaitingData = message;
                        sinkFailure = null;
                        try
                        {
                            sink = message is DicomRequest rq && _handler is not null ? await _handler.OpenDataSinkAsync(this, rq, cancellationToken).ConfigureAwait(false) : null;
                        }
                        catch (IOException ex)
                        {
                            sinkFailure = ex.Message;
                            sink = Stream.Null;
                        }
                        sinkIsMemory = sink is null;
                        sink ??= new MemoryStream();
                        continue;
                    }
                    await DispatchAsync(message, null, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    if (awaitingData is null || pdv.PresentationContextId != awaitingData.PresentationContextId)
                    {
                        await _association.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                        Outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Aborted, "a data PDV without a command, or on another presentation context");
                        break;
                    }
                    if (sinkFailure is null)
                    {
                        try
                        {
                            await sink!.WriteAsync(pdv.Data, cancellationToken).ConfigureAwait(false);
                        }
                        catch (IOException ex)
                        {
                            // Keep the association usable: discard the rest of this data set and refuse it below.
                            sinkFailure = ex.Message;
                        }
                    }
                    if (!pdv.IsLast) continue;
                    var message = awaitingData;
                    awaitingData = null;
                    if (sinkFailure is not null)
                    {
                        if (message is DicomRequest failed)
                        {
                            if (_handler is not null && !sinkIsMemory) await _handler.AbandonAsync(failed, sink).ConfigureAwait(false);
                            await SendAsync(new DicomResponse(failed, DicomStatus.OutOfResources, null, "Cannot store the data set: " + sinkFailure), null, cancellationToken).ConfigureAwait(false);
                        }
                        sink = null;
                        sinkFailure = null;
                        continue;
                    }
                    Stream? handlerSink = null;
                    if (sinkIsMemory)
                    {
                        var ms = (MemoryStream)sink!;
                        ms.Position = 0;
                        try
                        {
                            message.Dataset = DicomFile.ReadDataset(ms, TransferSyntaxOf(message.PresentationContextId));
                        }
                        catch (DicomReadException ex)
                        {
                            if (message is DicomRequest bad && _handler is not null)
                            {
                                await SendAsync(new DicomResponse(bad, DicomStatus.UnableToProcess, null, "Unreadable data set: " + ex.Reason), null, cancellationToken).ConfigureAwait(false);
                                continue;
                            }
                            message.Dataset = null;
                        }
                    }
                    else
                    {
                        handlerSink = sink;
                    }
                    sink = null;
                    await DispatchAsync(message, handlerSink, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Outcome ??= AssociationReceiveResult.Of(AssociationReceiveKind.Aborted, "cancelled locally");
        }
        catch (Exception ex)
        {
            // Never leave the peer waiting on an association we can no longer serve: abort it (A-ABORT) and say why.
            Outcome ??= AssociationReceiveResult.Of(AssociationReceiveKind.Aborted, "aborted after a local failure: " + ex.Message);
            try { await _association.AbortAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (Exception) { /* the connection is already gone */ }
        }
        finally
        {
            if (awaitingData is DicomRequest partial && _handler is not null && !sinkIsMemory)
                await _handler.AbandonAsync(partial, sink).ConfigureAwait(false);
            foreach (var cts in _running.Values) cts.Cancel();
            foreach (var ch in _pending.Values) ch.Writer.TryComplete();
            await WaitOperationsAsync().ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(DicomMessage message, Stream? sink, CancellationToken cancellationToken)
    {
        if (message is DicomResponse response)
        {
            if (_pending.TryGetValue(response.MessageIDBeingRespondedTo, out var ch))
            {
                ch.Writer.TryWrite(response);
                if (!response.Status.IsPending) ch.Writer.TryComplete();
            }
            return;
        }
        var request = (DicomRequest)message;
        if (request.CommandField == DicomCommandField.CCancelRequest)
        {
            var id = request.Command.GetSingleValueOrDefault<ushort>(DicomTags.MessageIDBeingRespondedTo, 0);
            if (_running.TryGetValue(id, out var cts)) cts.Cancel();
            return;
        }
        if (_handler is null)
        {
            await SendAsync(new DicomResponse(request, DicomStatus.UnrecognizedOperation, null, "This association accepts no requests"), null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (request.CommandField is DicomCommandField.CStoreRequest or DicomCommandField.CEchoRequest)
        {
            await _handler.HandleAsync(this, request, sink, cancellationToken).ConfigureAwait(false);
            return;
        }
        var opCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _running[request.MessageID] = opCts;
        var task = Task.Run(async () =>
        {
            try { await _handler.HandleAsync(this, request, sink, opCts.Token).ConfigureAwait(false); }
            finally
            {
                _running.TryRemove(request.MessageID, out _);
                opCts.Dispose();
            }
        }, CancellationToken.None);
        lock (_operations)
        {
            _operations.RemoveAll(t => t.IsCompleted);
            _operations.Add(task);
        }
    }

    private async Task WaitOperationsAsync()
    {
        Task[] tasks;
        lock (_operations) tasks = [.. _operations];
        try { await Task.WhenAll(tasks).ConfigureAwait(false); }
        catch (Exception) { /* handler failures are reported by the handlers themselves */ }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_loop is { IsCompleted: false })
        {
            await AbortAsync().ConfigureAwait(false);
            try { await _loop.ConfigureAwait(false); } catch (Exception) { }
        }
        _life.Dispose();
        _sendLock.Dispose();
    }
}

/// <summary>A DIMSE exchange could not complete (association ended, no accepted context).</summary>
public sealed class DicomNetworkException(string message) : Exception(message);
