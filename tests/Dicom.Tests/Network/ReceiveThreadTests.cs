using System.Net;
using System.Net.Sockets;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

/// <summary>The receive thread of accepted associations and the stream whose reads block on it.</summary>
[TestFixture, Category("Network")]
public sealed class ReceiveThreadTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Test]
    public async Task SwitchTo_resumes_on_the_receive_thread()
    {
        using var thread = new ReceiveThread("test receive");
        var where = await Task.Run(async () =>
        {
            await thread.SwitchTo();
            return (thread.IsCurrent, Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread);
        }).WaitAsync(Limit);
        Assert.That(where.IsCurrent, Is.True);
        Assert.That(where.Name, Is.EqualTo("test receive"));
        Assert.That(where.IsThreadPoolThread, Is.False);
    }

    [Test]
    public async Task Work_posted_after_Complete_still_runs()
    {
        var thread = new ReceiveThread("completed");
        thread.Complete();
        for (int i = 0; i < 20; i++)
        {
            // Right after Complete (the thread may still be there) and long after it (the thread is gone).
            var ran = await Task.Run(async () =>
            {
                await thread.SwitchTo();
                return true;
            }).WaitAsync(Limit);
            Assert.That(ran, Is.True, "a continuation must never be dropped, or its awaiter would wait forever");
            await Task.Delay(i * 5);
        }
    }

    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (await accept, client);
    }

    /// <summary>An accepted connection whose stream reads on a receive thread, and the peer's socket.</summary>
    private sealed class Connection : IAsyncDisposable
    {
        private Connection(ReceiveThreadNetworkStream stream, Socket peer)
        {
            Stream = stream;
            Peer = peer;
            Stream.ReceiveThread = Thread;
        }

        public ReceiveThreadNetworkStream Stream { get; }
        public Socket Peer { get; }
        public ReceiveThread Thread { get; } = new("reader");

        public static async Task<Connection> OpenAsync()
        {
            var (server, client) = await ConnectedPairAsync();
            return new Connection(new ReceiveThreadNetworkStream(server), client);
        }

        /// <summary>Runs <paramref name="work"/> on the receive thread.</summary>
        public Task<T> OnReceiveThread<T>(Func<Task<T>> work) => Task.Run(async () =>
        {
            await Thread.SwitchTo();
            return await work();
        });

        public async ValueTask DisposeAsync()
        {
            Peer.Dispose();
            await Stream.DisposeAsync();
            Thread.Dispose();
        }
    }

    [Test]
    public async Task Idle_work_runs_on_the_thread_when_a_read_would_wait_and_not_while_data_is_there()
    {
        await using var c = await Connection.OpenAsync();
        var ranOn = new TaskCompletionSource<(bool OnThread, bool DataWaiting)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await c.Peer.SendAsync(new byte[] { 7 });
        var read = c.OnReceiveThread(async () =>
        {
            c.Thread.WhenIdle(() => ranOn.SetResult((c.Thread.IsCurrent, c.Stream.DataAvailable)));
            var buffer = new byte[16];
            int first = await c.Stream.ReadAsync(buffer);   // a byte is there: no idle moment
            bool ranBeforeFirst = ranOn.Task.IsCompleted;
            int second = await c.Stream.ReadAsync(buffer);  // nothing yet: the idle work runs, then the read waits
            return (first, ranBeforeFirst, second, buffer[0]);
        });
        var (onThread, dataWaiting) = await ranOn.Task.WaitAsync(Limit);
        Assert.That(onThread, Is.True, "idle work runs on the receive thread");
        Assert.That(dataWaiting, Is.False, "it runs when there is nothing to read");
        await Task.Delay(100);
        Assert.That(read.IsCompleted, Is.False, "after the idle work the read still waits for the peer");
        await c.Peer.SendAsync(new byte[] { 9 });
        var (first, ranBeforeFirst, second, last) = await read.WaitAsync(Limit);
        Assert.That((first, ranBeforeFirst, second, last), Is.EqualTo((1, false, 1, (byte)9)));
    }

    [Test]
    public async Task Idle_work_runs_before_the_thread_sleeps_and_only_the_thread_may_defer_it()
    {
        using var thread = new ReceiveThread("idle");
        var ran = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(async () =>
        {
            await thread.SwitchTo();
            thread.WhenIdle(() => ran.SetResult(thread.IsCurrent));
        });
        Assert.That(await ran.Task.WaitAsync(Limit), Is.True);
        Assert.Throws<InvalidOperationException>(() => thread.WhenIdle(() => { }));
    }

    [Test]
    public async Task A_read_on_the_receive_thread_waits_for_the_peer_and_returns_its_bytes()
    {
        await using var c = await Connection.OpenAsync();
        var read = c.OnReceiveThread(async () =>
        {
            var buffer = new byte[16];
            var pending = c.Stream.ReadAsync(buffer);
            bool synchronous = pending.IsCompleted; // waited in the kernel on this thread, not through the socket engine
            int n = await pending;
            return (synchronous, buffer[..n]);
        });
        await Task.Delay(200);
        Assert.That(read.IsCompleted, Is.False, "nothing was sent yet");
        await c.Peer.SendAsync(new byte[] { 1, 2, 3, 4, 5 });
        var (wasSynchronous, bytes) = await read.WaitAsync(Limit);
        Assert.That(wasSynchronous, Is.True);
        Assert.That(bytes, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public async Task Cancelling_a_read_on_the_receive_thread_ends_it_with_OperationCanceledException()
    {
        await using var c = await Connection.OpenAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var read = c.OnReceiveThread(async () => await c.Stream.ReadAsync(new byte[16], cts.Token));
        Assert.That(async () => await read.WaitAsync(Limit), Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public async Task The_peer_closing_reads_as_the_end_of_the_stream()
    {
        await using var c = await Connection.OpenAsync();
        var read = c.OnReceiveThread(async () => await c.Stream.ReadAsync(new byte[16]));
        await Task.Delay(100);
        c.Peer.Dispose();
        Assert.That(await read.WaitAsync(Limit), Is.EqualTo(0));
    }

    [Test]
    public async Task Disposing_the_stream_ends_a_read_waiting_on_the_receive_thread()
    {
        await using var c = await Connection.OpenAsync();
        var read = c.OnReceiveThread(async () =>
        {
            try { return await c.Stream.ReadAsync(new byte[16]); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { return -1; }
        });
        await Task.Delay(200);
        await c.Stream.DisposeAsync();
        Assert.That(await read.WaitAsync(Limit), Is.LessThanOrEqualTo(0), "the silent peer must not keep the thread forever");
    }

    [Test]
    public async Task Reads_off_the_receive_thread_are_the_network_streams_own()
    {
        await using var c = await Connection.OpenAsync();
        var buffer = new byte[8];
        var read = c.Stream.ReadAsync(buffer).AsTask(); // from this test's thread, not the receive thread
        await c.Peer.SendAsync(new byte[] { 9, 8, 7 });
        Assert.That(await read.WaitAsync(Limit), Is.EqualTo(3));
        Assert.That(buffer[..3], Is.EqualTo(new byte[] { 9, 8, 7 }));
    }

    private sealed class ThreadRecordingStore : IStoreHandler
    {
        public string? ThreadName;
        public bool OnPool = true;

        public ValueTask<(IStoreOperation?, DicomOutcome)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken)
        {
            ThreadName = Thread.CurrentThread.Name;
            OnPool = Thread.CurrentThread.IsThreadPoolThread;
            return ValueTask.FromResult<(IStoreOperation?, DicomOutcome)>((new Op(), default));
        }

        private sealed class Op : IStoreOperation
        {
            public Stream Data { get; } = new MemoryStream();
            public ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(DicomOutcome.Success);
            public ValueTask AbandonAsync() => ValueTask.CompletedTask;
        }
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task An_accepted_association_receives_on_its_own_thread_unless_turned_off(bool perAssociation)
    {
        var ct = DicomUids.CTImageStorage.Value;
        var store = new ThreadRecordingStore();
        await using var server = new DicomServer(new IPEndPoint(IPAddress.Loopback, 0), () => new AssociationPolicy
        {
            AETitle = "SCP",
            AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport>
            {
                ["1.2.840.10008.1.1"] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value]),
                [ct] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value]),
            },
        }, () => new DicomServiceDispatcher(store, null, null), new AssociationOptions { ReceiveThreadPerAssociation = perAssociation });
        server.Start();
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, "MODALITY", "SCP",
            [DicomClient.Propose(1, "1.2.840.10008.1.1"), DicomClient.Propose(3, ct)]);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, ct);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4.5");
        var rsp = await client.StoreAsync(ds).WaitAsync(Limit);
        Assert.That(rsp.Status, Is.EqualTo(DicomStatus.Success));
        if (perAssociation)
        {
            Assert.That(store.ThreadName, Is.EqualTo("DICOM MODALITY"));
            Assert.That(store.OnPool, Is.False);
        }
        else
        {
            Assert.That(store.OnPool, Is.True);
        }
        await client.ReleaseAsync().WaitAsync(Limit);
    }

    private static DicomServer VerificationServer(AssociationOptions? options = null)
    {
        var server = new DicomServer(new IPEndPoint(IPAddress.Loopback, 0), () => new AssociationPolicy
        {
            AETitle = LoopbackNode.AETitle,
            AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport> { [LoopbackNode.Verification] = new([LoopbackNode.ImplicitVRLittleEndian]) },
        }, () => new DicomServiceDispatcher(null, null, null), options);
        server.Start();
        return server;
    }

    /// <summary>
    /// An association opened with raw PDUs (the peer then says nothing unless the test makes it), the request sent
    /// <paramref name="requestAfter"/> after the connection.
    /// </summary>
    private static async Task<NetworkStream> OpenRawAssociationAsync(TcpClient peer, int port, TimeSpan requestAfter = default)
    {
        await peer.ConnectAsync(IPAddress.Loopback, port);
        if (requestAfter > TimeSpan.Zero) await Task.Delay(requestAfter);
        var stream = peer.GetStream();
        await stream.WriteAsync(PduWriter.ToArray(LoopbackNode.Request(16384)));
        var header = new byte[6];
        await stream.ReadExactlyAsync(header).AsTask().WaitAsync(Limit);
        Assert.That(header[0], Is.EqualTo(0x02), "A-ASSOCIATE-AC");
        await stream.ReadExactlyAsync(new byte[(header[2] << 24) | (header[3] << 16) | (header[4] << 8) | header[5]]).AsTask().WaitAsync(Limit);
        return stream;
    }

    [Test]
    public async Task An_idle_association_served_on_its_receive_thread_is_aborted_at_the_idle_timeout_and_the_node_serves_on()
    {
        await using var server = VerificationServer(new AssociationOptions { IdleTimeout = TimeSpan.FromSeconds(1) });
        using var peer = new TcpClient { NoDelay = true };
        var stream = await OpenRawAssociationAsync(peer, server.LocalEndPoint.Port);

        // Silent from now on: the receive thread's wait in poll must end at the idle timeout with an A-ABORT.
        var started = DateTime.UtcNow;
        var all = new MemoryStream();
        var buffer = new byte[1024];
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer).AsTask().WaitAsync(Limit)) > 0) all.Write(buffer, 0, n);
        }
        catch (IOException) { }
        Assert.That(Convert.ToHexString(all.ToArray()), Is.EqualTo("07000000000400000000"), "A-ABORT, service-user source");
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(15)));

        await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, "SCU", LoopbackNode.AETitle,
            [DicomClient.Propose(1, LoopbackNode.Verification)]);
        Assert.That((await client.EchoAsync().WaitAsync(Limit)).Status, Is.EqualTo(DicomStatus.Success));
        await client.ReleaseAsync().WaitAsync(Limit);
    }

    [Test]
    public async Task An_association_whose_request_comes_late_is_never_registered_with_the_socket_engine()
    {
        // A read through the socket engine that finds no data registers the socket with the engine's epoll for good;
        // every PDU after that wakes the engine's thread and a pool thread. The connection's own thread reads from
        // its first byte, so a peer that waits before its A-ASSOCIATE-RQ leaves the socket unregistered.
        await using var server = VerificationServer();
        using var peer = new TcpClient { NoDelay = true };
        await OpenRawAssociationAsync(peer, server.LocalEndPoint.Port, requestAfter: TimeSpan.FromMilliseconds(300)); // the node's first read finds nothing

        var accepted = AcceptedSocketInode(server.LocalEndPoint.Port, ((IPEndPoint)peer.Client.LocalEndPoint!).Port);
        Assert.That(accepted, Is.Not.Null, "the node's socket of this connection in /proc/net/tcp");
        Assert.That(SocketsWatchedByEpoll(), Does.Not.Contain(accepted!.Value));
    }

    // The inode of the node's socket with local port `serverPort` and remote port `peerPort` (/proc/net/tcp).
    private static long? AcceptedSocketInode(int serverPort, int peerPort)
    {
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int local = Convert.ToInt32(f[1].Split(':')[1], 16), remote = Convert.ToInt32(f[2].Split(':')[1], 16);
            if (local == serverPort && remote == peerPort) return long.Parse(f[9], System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    // The socket inodes of every descriptor any epoll instance of this process watches (/proc/self/fdinfo: "tfd:").
    private static HashSet<long> SocketsWatchedByEpoll()
    {
        var inodes = new HashSet<long>();
        foreach (var fd in Directory.GetFiles("/proc/self/fd"))
        {
            string? target;
            try { target = new FileInfo(fd).LinkTarget; } catch (IOException) { continue; }
            if (target != "anon_inode:[eventpoll]") continue;
            string[] info;
            try { info = File.ReadAllLines("/proc/self/fdinfo/" + Path.GetFileName(fd)); } catch (IOException) { continue; }
            foreach (var line in info.Where(l => l.StartsWith("tfd:", StringComparison.Ordinal)))
            {
                var watched = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                string? socket;
                try { socket = new FileInfo("/proc/self/fd/" + watched).LinkTarget; } catch (IOException) { continue; }
                if (socket is not null && socket.StartsWith("socket:[", StringComparison.Ordinal))
                    inodes.Add(long.Parse(socket[8..^1], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return inodes;
    }

    [Test]
    public async Task Stopping_the_server_ends_an_association_whose_receive_thread_waits_for_a_silent_peer()
    {
        var server = VerificationServer();
        using var peer = new TcpClient { NoDelay = true };
        await OpenRawAssociationAsync(peer, server.LocalEndPoint.Port);
        await Task.Delay(200); // the receive loop is now waiting in poll on its thread

        await server.StopAsync(TimeSpan.FromMilliseconds(200)).WaitAsync(Limit);
        await server.DisposeAsync().AsTask().WaitAsync(Limit);
        Assert.That(server.OpenConnections, Is.Zero);
    }
}
