namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Dispatches requests of an SCP association to composed handlers (Verification, Storage, Query, Retrieve) and turns
/// their outcomes into DIMSE responses (PS3.4 Annex A, B, C). Handlers are given by constructor, not inherited.
/// </summary>
public sealed class DicomServiceDispatcher(IStoreHandler? store, IFindHandler? find, IRetrieveHandler? retrieve, Action<string, Exception>? onHandlerError = null) : IDimseRequestHandler
{
    private readonly Dictionary<DicomRequest, IStoreOperation> _stores = new(ReferenceEqualityComparer.Instance);

    /// <inheritdoc />
    public async ValueTask<Stream?> OpenDataSinkAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken)
    {
        if (request.CommandField != DicomCommandField.CStoreRequest || store is null) return null;
        var (operation, refusal) = await store.BeginAsync(new DicomRequestContext(channel, request), cancellationToken).ConfigureAwait(false);
        if (operation is null)
        {
            // Refused before data: the bytes are discarded and the refusal is sent when the data is complete.
            lock (_stores) _stores[request] = new RefusedStore(refusal);
            return Stream.Null;
        }
        lock (_stores) _stores[request] = operation;
        return operation.Data;
    }

    /// <inheritdoc />
    public async ValueTask AbandonAsync(DicomRequest request, Stream? dataSink)
    {
        IStoreOperation? op;
        lock (_stores) { _stores.Remove(request, out op); }
        if (op is not null) await op.AbandonAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task HandleAsync(DimseChannel channel, DicomRequest request, Stream? dataSink, CancellationToken cancellationToken)
    {
        var context = new DicomRequestContext(channel, request);
        try
        {
            switch (request.CommandField)
            {
                case DicomCommandField.CEchoRequest:
                    await channel.SendAsync(new DicomResponse(request, DicomStatus.Success), null, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomCommandField.CStoreRequest:
                    await HandleStoreAsync(channel, request, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomCommandField.CFindRequest when find is not null:
                    await HandleFindAsync(context, cancellationToken).ConfigureAwait(false);
                    break;
                case DicomCommandField.CMoveRequest when retrieve is not null:
                    if (string.IsNullOrWhiteSpace(request.MoveDestination))
                    {
                        await channel.SendAsync(new DicomResponse(request, DicomStatus.MoveDestinationUnknown, null, "No Move Destination in the request"), null, cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    await HandleRetrieveAsync(context, retrieve.MoveAsync(context, request.MoveDestination!, request.Dataset ?? new DicomDataset(), cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case DicomCommandField.CGetRequest when retrieve is not null:
                    await HandleRetrieveAsync(context, retrieve.GetAsync(context, request.Dataset ?? new DicomDataset(), cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await channel.SendAsync(new DicomResponse(request, DicomStatus.UnrecognizedOperation, null, $"{request.CommandField} is not supported here"), null, CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Association ended, or C-CANCEL handled inside the operation.
        }
        catch (IOException ex)
        {
            // Disk full or failing: PS3.4 B.2.3 / C.4 "out of resources".
            onHandlerError?.Invoke($"{request.CommandField} from {context.CallingAE}", ex);
            await channel.SendAsync(new DicomResponse(request, DicomStatus.OutOfResources, null, "Out of resources: " + ex.Message), null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            onHandlerError?.Invoke($"{request.CommandField} from {context.CallingAE}", ex);
            await channel.SendAsync(new DicomResponse(request, DicomStatus.ProcessingFailure, null, "Processing failure: " + ex.Message), null, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task HandleStoreAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken)
    {
        IStoreOperation? op;
        lock (_stores) { _stores.Remove(request, out op); }
        DicomOutcome outcome;
        if (op is null) outcome = new DicomOutcome(DicomStatus.SOPClassNotSupported, "Storage is not offered by this node");
        else outcome = await op.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await channel.SendAsync(new DicomResponse(request, outcome.Status, null, outcome.ErrorComment), null, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task HandleFindAsync(DicomRequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var final = DicomOutcome.Success;
        bool cancelled = false;
        try
        {
            await foreach (var (outcome, identifier) in find!.FindAsync(context, request.Dataset ?? new DicomDataset(), cancellationToken).ConfigureAwait(false))
            {
                if (identifier is not null && outcome.Status.IsPending)
                {
                    await context.Channel.SendAsync(new DicomResponse(request, outcome.Status, identifier), null, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                final = outcome;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        var response = cancelled ? new DicomResponse(request, DicomStatus.Cancel) : new DicomResponse(request, final.Status, null, final.ErrorComment);
        await context.Channel.SendAsync(response, null, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task HandleRetrieveAsync(DicomRequestContext context, IAsyncEnumerable<(DicomOutcome Outcome, DicomSubOperations Progress)> progress, CancellationToken cancellationToken)
    {
        var request = context.Request;
        (DicomOutcome Outcome, DicomSubOperations Progress) last = (DicomOutcome.Success, default);
        bool cancelled = false;
        try
        {
            await foreach (var p in progress.ConfigureAwait(false))
            {
                if (p.Outcome.Status.IsPending)
                {
                    var pending = new DicomResponse(request, DicomStatus.Pending);
                    pending.SetSubOperations(p.Progress.Remaining, p.Progress.Completed, p.Progress.Failed, p.Progress.Warning);
                    await context.Channel.SendAsync(pending, null, CancellationToken.None).ConfigureAwait(false);
                }
                last = p;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            cancelled = true;
        }
        var status = cancelled ? DicomStatus.Cancel : last.Outcome.Status.IsPending ? DicomStatus.Success : last.Outcome.Status;
        var final = new DicomResponse(request, status, null, last.Outcome.ErrorComment);
        // PS3.4 C.4.2.1.4: the final response omits Remaining except for Cancel.
        final.SetSubOperations(last.Progress.Remaining, last.Progress.Completed, last.Progress.Failed, last.Progress.Warning, includeRemaining: cancelled);
        await context.Channel.SendAsync(final, null, CancellationToken.None).ConfigureAwait(false);
    }

    private sealed class RefusedStore(DicomOutcome refusal) : IStoreOperation
    {
        public Stream Data => Stream.Null;
        public ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(refusal);
        public ValueTask AbandonAsync() => ValueTask.CompletedTask;
    }
}
