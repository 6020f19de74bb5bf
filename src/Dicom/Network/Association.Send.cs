using System.Buffers;
using System.Net.Sockets;
using static EdgeCancer.Dicom.Network.UpperLayerAction;
using static EdgeCancer.Dicom.Network.UpperLayerEvent;
using static EdgeCancer.Dicom.Network.UpperLayerState;

namespace EdgeCancer.Dicom.Network;

public sealed partial class Association
{
    /// <summary>
    /// Sends a command or dataset fragment, split into P-DATA-TF PDUs of one PDV each, sized to the peer's maximum
    /// length (Evt9 → DT-1 or AR-7). Every PDU holds a single PDV, so command and data never share a PDU
    /// (PS3.7 §9.3.1). The last-fragment bit is set on the final PDU only when <paramref name="isLast"/> is true,
    /// so a large dataset can be sent in several calls.
    /// </summary>
    /// <returns>False when the association is no longer established (released, aborted or closed).</returns>
    public async ValueTask<bool> SendPdvAsync(byte presentationContextId, bool isCommand, ReadOnlyMemory<byte> data, bool isLast, CancellationToken cancellationToken)
    {
        if (!AcceptedContexts.ContainsKey(presentationContextId))
            throw new ArgumentException($"Presentation context {presentationContextId} was not accepted on this association.", nameof(presentationContextId));
        int offset = 0;
        do
        {
            int length = Math.Min(MaxPdvDataLength, data.Length - offset);
            bool last = isLast && offset + length == data.Length;
            if (!await SendOnePdvAsync(presentationContextId, isCommand, data.Slice(offset, length), last, cancellationToken).ConfigureAwait(false)) return false;
            offset += length;
        }
        while (offset < data.Length);
        return true;
    }

    /// <summary>
    /// Streams a whole command or dataset from <paramref name="source"/> as PDVs, setting the last-fragment bit on the
    /// final one. Memory use is two pooled fragments, whatever the size of the source.
    /// </summary>
    /// <returns>False when the association is no longer established.</returns>
    public async ValueTask<bool> SendPdvAsync(byte presentationContextId, bool isCommand, Stream source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!AcceptedContexts.ContainsKey(presentationContextId))
            throw new ArgumentException($"Presentation context {presentationContextId} was not accepted on this association.", nameof(presentationContextId));
        int size = MaxPdvDataLength;
        byte[] current = ArrayPool<byte>.Shared.Rent(size), next = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            int currentLength = await source.ReadAtLeastAsync(current.AsMemory(0, size), size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                // Read one fragment ahead so the last one can carry the last-fragment bit.
                int nextLength = currentLength < size ? 0
                    : await source.ReadAtLeastAsync(next.AsMemory(0, size), size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                bool last = nextLength == 0;
                if (!await SendOnePdvAsync(presentationContextId, isCommand, current.AsMemory(0, currentLength), last, cancellationToken).ConfigureAwait(false)) return false;
                if (last) return true;
                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    private async ValueTask<bool> SendOnePdvAsync(byte presentationContextId, bool isCommand, ReadOnlyMemory<byte> data, bool isLast, CancellationToken cancellationToken)
    {
        if (State is Sta1 or Sta13) return false;
        var t = Fire(Evt9, null);
        if (t.Action is not (DT1 or AR7))
        {
            await ProviderAbortAsync(AbortReason.NotSpecified, $"P-DATA request in a state where Table 9-10 does not allow it.").ConfigureAwait(false);
            await CloseTransportAsync().ConfigureAwait(false);
            return false;
        }
        int total = PduWriter.SinglePdvOverhead + data.Length;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            PduWriter.WriteSinglePdvHeader(buffer, presentationContextId, isCommand, isLast, data.Length);
            data.CopyTo(buffer.AsMemory(PduWriter.SinglePdvOverhead));
            return await WriteAsync(buffer.AsMemory(0, total), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Releases the association (Evt11 → AR-1) and waits for the A-RELEASE-RP, handling a release collision
    /// (PS3.8 §7.2.2). PDVs that arrive meanwhile are discarded; to read them, use <see cref="RequestReleaseAsync"/>
    /// and <see cref="ReceiveAsync"/> instead.
    /// </summary>
    public async ValueTask<AssociationReceiveResult> ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!await RequestReleaseAsync(cancellationToken).ConfigureAwait(false))
            return _outcome ?? AssociationReceiveResult.Of(AssociationReceiveKind.Closed, "The association was not established.");
        while (true)
        {
            var result = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (result.Kind != AssociationReceiveKind.Pdv) return result;
        }
    }

    /// <summary>Sends the A-RELEASE-RQ (Evt11 → AR-1, Sta7); follow with <see cref="ReceiveAsync"/> until <see cref="AssociationReceiveKind.Released"/>.</summary>
    /// <returns>False when the association was not in Sta6.</returns>
    public async ValueTask<bool> RequestReleaseAsync(CancellationToken cancellationToken)
    {
        if (State is Sta1 or Sta13) return false;
        var t = Fire(Evt11, null);
        if (t.Action != AR1)
        {
            await ProviderAbortAsync(AbortReason.NotSpecified, "A-RELEASE request in a state where Table 9-10 does not allow it.").ConfigureAwait(false);
            return false;
        }
        return await SendPduAsync(new ReleaseRequestPdu(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Answers the peer's release request (Evt14 → AR-4): sends the A-RELEASE-RP, then waits under ARTIM for the
    /// peer to close the connection (Sta13).
    /// </summary>
    public async ValueTask<AssociationReceiveResult> SendReleaseResponseAsync(CancellationToken cancellationToken)
    {
        if (State is Sta1 or Sta13) return _outcome ?? AssociationReceiveResult.Of(AssociationReceiveKind.Closed);
        var t = Fire(Evt14, null);
        if (t.Action != AR4)
        {
            await ProviderAbortAsync(AbortReason.NotSpecified, "A-RELEASE response in a state where Table 9-10 does not allow it.").ConfigureAwait(false);
        }
        else
        {
            await SendPduAsync(new ReleaseResponsePdu(), cancellationToken).ConfigureAwait(false);
            StartArtim();
            _outcome = AssociationReceiveResult.Of(AssociationReceiveKind.Released);
        }
        return await ReceiveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Aborts the association (Evt15 → AA-1): sends an A-ABORT with the service-user source, then waits under ARTIM
    /// for the peer to close (unless another task is receiving, which then sees the close).
    /// </summary>
    public async ValueTask AbortAsync(CancellationToken cancellationToken)
    {
        if (State is Sta1 or Sta13) return;
        var t = Fire(Evt15, "local abort request");
        var abort = new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified);
        _outcome ??= AssociationReceiveResult.AbortedBy(abort, locally: true, "Aborted by the local user.");
        if (t.Action == AA1)
        {
            await SendPduAsync(abort, cancellationToken).ConfigureAwait(false);
            StartArtim();
            if (Volatile.Read(ref _receiving) == 0) await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            else ShutdownSend();
        }
        else
        {
            await CloseTransportAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<bool> SendPduAsync(Pdu pdu, CancellationToken cancellationToken)
    {
        var bytes = PduWriter.ToArray(pdu);
        return await WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_transportClosed) return false;
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void ShutdownSend()
    {
        try { (_stream as NetworkStream)?.Socket.Shutdown(SocketShutdown.Send); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    private async ValueTask CloseTransportAsync()
    {
        if (_transportClosed) return;
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            _transportClosed = true;
            lock (_gate) _state = Sta1;
            StopArtim();
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Aborts the association if it is still open (A-ABORT, service-user source), then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_transportClosed && State is not (Sta1 or Sta13))
        {
            Fire(Evt15, "disposed while open");
            await SendPduAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified), CancellationToken.None).ConfigureAwait(false);
        }
        await CloseTransportAsync().ConfigureAwait(false);
        if (Volatile.Read(ref _receiving) == 0)
        {
            await _input.CompleteAsync().ConfigureAwait(false);
            _reader.Dispose();
        }
    }
}
