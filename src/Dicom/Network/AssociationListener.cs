using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Accepts TCP connections (with <see cref="Socket.NoDelay"/> set) and serves the acceptor side of the upper layer on
/// each: negotiation through a decision function, then a handler for the established association.
/// </summary>
public sealed class AssociationListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Func<AssociateRequestPdu, int, AssociationDecision> _decide;
    private readonly Func<Association, CancellationToken, Task> _handler;
    private readonly AssociationOptions _options;
    private readonly Action<Exception>? _onError;
    private readonly Func<AssociationOutcome, EndPoint?, ValueTask>? _onRefused;
    private readonly ConcurrentDictionary<int, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _nextId;
    private int _open;

    /// <summary>Binds and listens on <paramref name="endPoint"/> (port 0 picks a free port).</summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="decide">Decides on each request, given the number of other connections open (see <see cref="AssociationNegotiator"/>).</param>
    /// <param name="handler">Serves an established association; when it returns, an association still open is aborted.</param>
    /// <param name="options">Timeouts and limits for every association.</param>
    /// <param name="onError">Told about exceptions a connection ended with (handler bugs, I/O errors); the listener goes on serving.</param>
    /// <param name="onRefused">
    /// Told about every connection that did not become an association (rejected, aborted, timed out, not DICOM), with
    /// the peer's address, so the node can keep a record of refused callers.
    /// </param>
    public AssociationListener(IPEndPoint endPoint, Func<AssociateRequestPdu, int, AssociationDecision> decide, Func<Association, CancellationToken, Task> handler, AssociationOptions? options = null, Action<Exception>? onError = null,
        Func<AssociationOutcome, EndPoint?, ValueTask>? onRefused = null)
    {
        _onError = onError;
        _onRefused = onRefused;
        _decide = decide ?? throw new ArgumentNullException(nameof(decide));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new AssociationOptions();
        _socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _socket.Bind(endPoint);
        _socket.Listen(128);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <summary>The bound address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections currently being served.</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Accepts connections until <paramref name="cancellationToken"/> is cancelled, then waits for the open ones.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            while (true)
            {
                Socket client;
                try
                {
                    client = await _socket.AcceptAsync(linked.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    continue; // a connection reset before accept completes is the peer's problem, not ours
                }
                client.NoDelay = true;
                int id = Interlocked.Increment(ref _nextId);
                _connections[id] = ServeAsync(id, client, linked.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // stopping
        }
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
    }

    private async Task ServeAsync(int id, Socket client, CancellationToken cancellationToken)
    {
        await Task.Yield();
        int others = Interlocked.Increment(ref _open) - 1;
        ReceiveThread? thread = null;
        try
        {
            var peer = client.RemoteEndPoint;
            NetworkStream stream;
            if (_options.ReceiveThreadPerAssociation)
            {
                // The connection's thread from its first byte (it ends with the connection): negotiation reads wait on
                // it too. A read on the socket engine's path that finds no data registers the socket with its epoll for
                // good, and from then on every PDU that arrives wakes the engine's thread and a pool thread for nothing
                // (900 wake-ups in one 300-image association, and chance decided which associations paid it).
                thread = new ReceiveThread($"DICOM {peer}");
                stream = new ReceiveThreadNetworkStream(client) { ReceiveThread = thread };
                await thread.SwitchTo();
            }
            else stream = new NetworkStream(client, ownsSocket: true);
            var outcome = await Association.AcceptAsync(stream, rq => _decide(rq, others), _options, cancellationToken).ConfigureAwait(false);
            if (outcome.Association is { } association)
            {
                await using (association.ConfigureAwait(false))
                {
                    await _handler(association, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (_onRefused is not null)
            {
                await _onRefused(outcome, peer).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // One connection's failure must not stop the node serving others.
            _onError?.Invoke(e);
        }
        finally
        {
            thread?.Complete();
            Interlocked.Decrement(ref _open);
            _connections.TryRemove(id, out _);
        }
    }

    /// <summary>Stops listening and waits for open connections to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _stopping.Dispose();
    }
}
