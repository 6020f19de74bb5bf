using System.Net;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// A DICOM SCP: listens on a port, negotiates each association with <see cref="AssociationNegotiator"/> under an
/// <see cref="AssociationPolicy"/>, and serves DIMSE through a handler made per association.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly AssociationListener _listener;

    /// <summary>Creates a server; call <see cref="RunAsync"/> to accept connections.</summary>
    public DicomServer(IPEndPoint endPoint, Func<AssociationPolicy> policy, Func<IDimseRequestHandler> handlerFactory, AssociationOptions? options = null, Action<Exception>? onError = null)
    {
        _listener = new AssociationListener(
            endPoint,
            (request, current) => AssociationNegotiator.Negotiate(request, policy(), current),
            async (association, ct) =>
            {
                await using var channel = new DimseChannel(association, handlerFactory());
                channel.Start();
                await channel.Completion.WaitAsync(ct).ConfigureAwait(false);
            },
            options,
            onError);
    }

    /// <summary>The bound endpoint (port 0 resolves to the actual port).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Number of open connections.</summary>
    public int OpenConnections => _listener.OpenConnections;

    /// <summary>Accepts associations until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _listener.RunAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
