using System.Net.Sockets;
using static EdgeCancer.Dicom.Network.UpperLayerAction;
using static EdgeCancer.Dicom.Network.UpperLayerEvent;
using static EdgeCancer.Dicom.Network.UpperLayerState;

namespace EdgeCancer.Dicom.Network;

public sealed partial class Association
{
    /// <summary>
    /// Returns the next indication: a PDV (valid until the next call), a release request, or the end of the
    /// association. Protocol errors and timeouts abort the association and are reported as values.
    /// </summary>
    public async ValueTask<AssociationReceiveResult> ReceiveAsync(CancellationToken cancellationToken)
    {
        var (_, result) = await ReceiveCoreAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Yields the PDVs of the association until it is released, aborted or closed, or the peer asks to release.</summary>
    /// <remarks>Each PDV's data is a pooled buffer valid until the enumeration moves on; copy or write it before then.</remarks>
    public async IAsyncEnumerable<PresentationDataValue> ReadPdvsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (result.Kind != AssociationReceiveKind.Pdv) yield break;
            yield return result.Pdv;
        }
    }

    private async ValueTask<(Indication, AssociationReceiveResult)> ReceiveCoreAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _receiving, 1) == 1)
            throw new InvalidOperationException("Another receive is already in progress on this association; receive from one task at a time.");
        try
        {
            return await ReceiveLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }

    private async ValueTask<(Indication, AssociationReceiveResult)> ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_pending is not null)
            {
                if (_pendingIndex < _pending.Count) return (Indication.Pdv, AssociationReceiveResult.Data(_pending[_pendingIndex++]));
                _pending = null;
            }
            if (_transportClosed) return Final();

            var (read, timedOut) = await ReadWithTimeoutAsync(cancellationToken).ConfigureAwait(false);
            if (timedOut)
            {
                if (ArtimRunning)
                {
                    Fire(Evt18, "ARTIM expired"); // AA-2: close
                    _outcome ??= AssociationReceiveResult.Of(AssociationReceiveKind.Closed, $"ARTIM timer expired.");
                    await CloseTransportAsync().ConfigureAwait(false);
                    return Final();
                }
                // Idle timeout: a local A-ABORT request (Evt15 → AA-1). The timed-out read leaves the input unusable,
                // so the transport is closed at once instead of waiting in Sta13.
                var abort = new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified);
                Fire(Evt15, $"no PDU for {_options.IdleTimeout}");
                await SendPduAsync(abort, CancellationToken.None).ConfigureAwait(false);
                _outcome ??= AssociationReceiveResult.AbortedBy(abort, locally: true, $"Idle timeout: no PDU from the peer for {_options.IdleTimeout}.");
                await CloseTransportAsync().ConfigureAwait(false);
                return Final();
            }

            var (evt, pdu) = ToEvent(read);
            _lastPdu = pdu;
            var t = Fire(evt, read.Detail);
            switch (t.Action)
            {
                case AE3: return (Indication.AssociateAccepted, default);
                case AE4:
                    await CloseTransportAsync().ConfigureAwait(false);
                    return (Indication.AssociateRejected, default);
                case AE6:
                    StopArtim();
                    return (Indication.AssociateIndication, default);
                case DT2 or AR6:
                    var values = ((DataTransferPdu)pdu!).Values;
                    if (FirstUnacceptedContext(values) is { } bad)
                    {
                        // A PDV on a context that was not accepted is an invalid parameter of the PDU (Evt19 → AA-8).
                        string why = $"PDV on presentation context {bad}, which was not accepted.";
                        Fire(Evt19, why);
                        await ProviderAbortAsync(AbortReason.InvalidPduParameterValue, why).ConfigureAwait(false);
                        continue;
                    }
                    _pending = values;
                    _pendingIndex = 0;
                    continue;
                case AR2: return (Indication.ReleaseIndication, AssociationReceiveResult.Of(AssociationReceiveKind.ReleaseRequested));
                case AR3:
                    _outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Released);
                    await CloseTransportAsync().ConfigureAwait(false);
                    return Final();
                case AR8:
                    // Release collision (PS3.8 §7.2.2, Table 9-10): the local user already asked to release, so it
                    // answers at once. Requestor: Sta9 → AR-9 → Sta11; acceptor waits in Sta10 for the A-RELEASE-RP.
                    if (IsRequestor)
                    {
                        Fire(Evt14, "release collision");
                        await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
                    }
                    continue;
                case AR10:
                    Fire(Evt14, "release collision"); // Sta12 → AR-4: send A-RELEASE-RP, start ARTIM, Sta13
                    await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
                    StartArtim();
                    _outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Released);
                    continue;
                case AR5 or AA2 or AA4 or AA5:
                    StopArtim();
                    if (pdu is AbortPdu received) _outcome ??= AssociationReceiveResult.AbortedBy(received, locally: false, "A-ABORT received.");
                    _outcome ??= AssociationReceiveResult.Of(AssociationReceiveKind.Closed, "The connection closed without release or abort.");
                    await CloseTransportAsync().ConfigureAwait(false);
                    return Final();
                case AA3:
                    _outcome = AssociationReceiveResult.AbortedBy((AbortPdu)pdu!, locally: false, "A-ABORT received.");
                    await CloseTransportAsync().ConfigureAwait(false);
                    return Final();
                case AA6:
                    continue;
                case AA1:
                {
                    // PS3.8 Table 9-9: AA-1 sends the A-ABORT with the service-user source.
                    var abort = new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified);
                    await SendPduAsync(abort, cancellationToken).ConfigureAwait(false);
                    StartArtim();
                    _drainOnly |= read.Status == PduReadStatus.Invalid;
                    _outcome ??= AssociationReceiveResult.AbortedBy(abort, locally: true, DescribeUnexpected(evt, read));
                    continue;
                }
                case AA7:
                    await SendPduAsync(new AbortPdu(AbortSource.ServiceProvider, ReasonFor(read)), cancellationToken).ConfigureAwait(false);
                    _drainOnly |= read.Status == PduReadStatus.Invalid;
                    continue;
                case AA8:
                    await ProviderAbortAsync(ReasonFor(read), DescribeUnexpected(evt, read)).ConfigureAwait(false);
                    _drainOnly |= read.Status == PduReadStatus.Invalid;
                    continue;
                default:
                    throw new InvalidOperationException($"Action {t.Action} cannot follow a received event ({evt}).");
            }
        }
    }

    private byte? FirstUnacceptedContext(IReadOnlyList<PresentationDataValue> values)
    {
        foreach (var v in values)
            if (!_acceptedContexts.Contains(v.PresentationContextId)) return v.PresentationContextId;
        return null;
    }

    // AA-8: send A-ABORT (service-provider source), issue A-P-ABORT indication, start ARTIM (Sta13 already set).
    private async ValueTask ProviderAbortAsync(AbortReason reason, string detail)
    {
        var abort = new AbortPdu(AbortSource.ServiceProvider, reason);
        await SendPduAsync(abort, CancellationToken.None).ConfigureAwait(false);
        StartArtim();
        _outcome ??= AssociationReceiveResult.AbortedBy(abort, locally: true, detail);
    }

    private static AbortReason ReasonFor(PduReadResult read) => read.Status switch
    {
        PduReadStatus.Invalid => read.Error,
        PduReadStatus.Pdu => AbortReason.UnexpectedPdu,
        _ => AbortReason.NotSpecified,
    };

    private static string DescribeUnexpected(UpperLayerEvent evt, PduReadResult read) =>
        read.Status == PduReadStatus.Invalid ? read.Detail ?? "Invalid PDU." : $"Unexpected {read.Pdu?.Type.ToString() ?? evt.ToString()} in this state.";

    private static (UpperLayerEvent, Pdu?) ToEvent(PduReadResult read) => read.Status switch
    {
        PduReadStatus.EndOfStream => (Evt17, null),
        PduReadStatus.Invalid => (Evt19, null),
        _ => (read.Pdu!.Type switch
        {
            PduType.AssociateAccept => Evt3,
            PduType.AssociateReject => Evt4,
            PduType.AssociateRequest => Evt6,
            PduType.DataTransfer => Evt10,
            PduType.ReleaseRequest => Evt12,
            PduType.ReleaseResponse => Evt13,
            _ => Evt16,
        }, read.Pdu),
    };

    private (Indication, AssociationReceiveResult) Final()
    {
        var result = _outcome ?? AssociationReceiveResult.Of(AssociationReceiveKind.Closed);
        return (result.Kind switch
        {
            AssociationReceiveKind.Released => Indication.Released,
            AssociationReceiveKind.Aborted => Indication.Aborted,
            _ => Indication.Closed,
        }, result);
    }

    private ValueTask<(PduReadResult Read, bool TimedOut)> ReadWithTimeoutAsync(CancellationToken cancellationToken)
    {
        // A PDU already received is taken at once: no timer, no task (most P-DATA-TF of a data set arrive this way).
        if (!_drainOnly && !cancellationToken.IsCancellationRequested && (!ArtimRunning || Environment.TickCount64 < Volatile.Read(ref _artimDeadline)))
        {
            try
            {
                if (_reader.TryRead(out var ready)) return ValueTask.FromResult((ready, false));
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                return ValueTask.FromResult((PduReadResult.End, false));
            }
        }
        return WaitForPduAsync(cancellationToken);
    }

    private async ValueTask<(PduReadResult Read, bool TimedOut)> WaitForPduAsync(CancellationToken cancellationToken)
    {
        TimeSpan timeout;
        if (ArtimRunning) timeout = TimeSpan.FromMilliseconds(Math.Max(0, Volatile.Read(ref _artimDeadline) - Environment.TickCount64));
        else if (State is Sta5) timeout = _options.ArtimTimeout;
        else timeout = _options.IdleTimeout;

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan) cts.CancelAfter(timeout);
        try
        {
            if (_drainOnly)
            {
                // After an invalid PDU the byte stream has lost its framing: discard input until the peer closes.
                _reader.ReleasePrevious();
                while (true)
                {
                    var raw = await _input.ReadAsync(cts.Token).ConfigureAwait(false);
                    _input.AdvanceTo(raw.Buffer.End);
                    if (raw.IsCompleted) return (PduReadResult.End, false);
                }
            }
            return (await _reader.ReadAsync(cts.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, true);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return (PduReadResult.End, false);
        }
    }

    private bool ArtimRunning => Volatile.Read(ref _artimDeadline) >= 0;

    private void StartArtim() => Volatile.Write(ref _artimDeadline, Environment.TickCount64 + (long)_options.ArtimTimeout.TotalMilliseconds);

    private void StopArtim() => Volatile.Write(ref _artimDeadline, -1);

    private StateTransition Fire(UpperLayerEvent evt, string? detail)
    {
        UpperLayerState from;
        StateTransition t;
        lock (_gate)
        {
            from = _state;
            t = UpperLayerStateMachine.Next(from, evt, IsRequestor);
            _state = t.NextState;
        }
        _options.Trace?.Invoke(new AssociationTrace(from, evt, t, detail));
        return t;
    }
}
