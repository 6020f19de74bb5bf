using System.Net;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// A DICOM SCP: listens on a port, negotiates each association with <see cref="AssociationNegotiator"/> under an
/// <see cref="AssociationPolicy"/>, and serves DIMSE through a handler made per association. Stopping is graceful:
/// no new associations are accepted, established ones get a grace period to finish (in-flight C-STOREs complete).
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly AssociationListener _listener;
    private readonly CancellationTokenSource _accepting = new();
    private readonly CancellationTokenSource _hardStop = new();
    private Task? _run;

    /// <summary>Creates a server; call <see cref="Start"/> to accept connections.</summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="policy">The association policy, asked afresh for each request.</param>
    /// <param name="handlerFactory">Makes the DIMSE handler of each established association.</param>
    /// <param name="options">Timeouts and limits.</param>
    /// <param name="onError">Told about exceptions a connection ended with.</param>
    /// <param name="onRefused">Told about each connection that did not become an association, with the peer's address.</param>
    public DicomServer(IPEndPoint endPoint, Func<AssociationPolicy> policy, Func<IDimseRequestHandler> handlerFactory, AssociationOptions? options = null, Action<Exception>? onError = null,
        Func<AssociationOutcome, EndPoint?, ValueTask>? onRefused = null)
    {
        _listener = new AssociationListener(
            endPoint,
            (request, current) => AssociationNegotiator.Negotiate(request, policy(), current),
            async (association, _) =>
            {
                // Established associations outlive the stop of accepting; only the hard stop ends them.
                var handler = handlerFactory();
                var channel = new DimseChannel(association, handler);
                await using (channel.ConfigureAwait(false))
                {
                    channel.Start();
                    try { await channel.Completion.WaitAsync(_hardStop.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) { }
                }
                if (handler is IAssociationLifetimeHandler lifetime) await lifetime.AssociationEndedAsync(channel).ConfigureAwait(false);
            },
            options,
            onError,
            onRefused);
    }

    /// <summary>The bound endpoint (port 0 resolves to the actual port).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Number of open connections.</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>Starts accepting associations.</summary>
    public void Start() => _run ??= _listener.RunAsync(_accepting.Token);

    /// <summary>Accepts associations until <paramref name="cancellationToken"/> is cancelled, then stops gracefully (30 s grace).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Start();
        try { await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await StopAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
    }

    /// <summary>Refuses new associations at once, lets open ones finish for up to <paramref name="grace"/>, then aborts the rest.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await _accepting.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            try { await _run.WaitAsync(grace).ConfigureAwait(false); }
            catch (TimeoutException) { }
        }
        await _hardStop.CancelAsync().ConfigureAwait(false);
        if (_run is not null) await _run.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _hardStop.CancelAsync().ConfigureAwait(false);
        await _accepting.CancelAsync().ConfigureAwait(false);
        await _listener.DisposeAsync().ConfigureAwait(false);
        _accepting.Dispose();
        _hardStop.Dispose();
    }
}
