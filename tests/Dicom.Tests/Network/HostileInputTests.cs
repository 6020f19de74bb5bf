using System.Diagnostics;
using System.Net.Sockets;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

/// <summary>Raw bytes on our acceptor's port; each answer is the standard's, and the node keeps serving.</summary>
[Category("UpperLayer")]
[CancelAfter(60_000)]
public class HostileInputTests
{
    private static readonly AssociationOptions ShortTimers = new() { ArtimTimeout = TimeSpan.FromMilliseconds(500), IdleTimeout = TimeSpan.FromSeconds(1) };

    private static readonly byte[] ServiceUserAbort = Convert.FromHexString("07000000000400000000");

    private static async Task<NetworkStream> ConnectAsync(int port, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", port, ct);
        return client.GetStream();
    }

    /// <summary>Everything the node sends until it closes the connection.</summary>
    private static async Task<byte[]> ReadToCloseAsync(NetworkStream stream, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        try
        {
            while ((n = await stream.ReadAsync(buffer, ct)) > 0) all.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // a reset after the node's last PDU still counts as closed
        }
        return all.ToArray();
    }

    private static async Task<NetworkStream> AssociateAsync(int port, CancellationToken ct)
    {
        var stream = await ConnectAsync(port, ct);
        await stream.WriteAsync(PduWriter.ToArray(LoopbackNode.Request(16384)), ct);
        var header = new byte[6];
        await stream.ReadExactlyAsync(header, ct);
        Assert.That(header[0], Is.EqualTo(0x02), "A-ASSOCIATE-AC");
        int length = (header[2] << 24) | (header[3] << 16) | (header[4] << 8) | header[5];
        await stream.ReadExactlyAsync(new byte[length], ct);
        return stream;
    }

    private static async Task AssertStillServesAsync(LoopbackNode node, CancellationToken ct)
    {
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), null, ct);
        Assert.That(outcome.IsEstablished, Is.True, "the node must keep serving other associations: " + outcome.Failure);
        await using var a = outcome.Association!;
        Assert.That((await a.ReleaseAsync(ct)).Kind, Is.EqualTo(AssociationReceiveKind.Released));
    }

    private static Func<Association, CancellationToken, Task> Serve(TaskCompletionSource<AssociationReceiveResult>? seen = null) => async (a, ct) =>
    {
        var r = await a.ReceiveAsync(ct);
        if (r.Kind == AssociationReceiveKind.ReleaseRequested) r = await a.SendReleaseResponseAsync(ct);
        seen?.TrySetResult(r);
    };

    [Test]
    public async Task Aborts_a_P_DATA_TF_claiming_2_GiB_without_allocating_it(CancellationToken ct)
    {
        var seen = new TaskCompletionSource<AssociationReceiveResult>();
        await using var node = new LoopbackNode(Serve(seen), ShortTimers);
        await using var stream = await AssociateAsync(node.Port, ct);
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await stream.WriteAsync(Convert.FromHexString("04007FFFFFFF" + "7FFFFFFD0100"), ct);
        var reply = await ReadToCloseAsync(stream, ct);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.That(Convert.ToHexString(reply), Is.EqualTo("07000000000400000206"), "A-ABORT, service-provider, invalid-PDU-parameter value");
        Assert.That(allocated, Is.LessThan(64L * 1024 * 1024));
        var result = await seen.Task.WaitAsync(ct);
        Assert.That(result.Kind, Is.EqualTo(AssociationReceiveKind.Aborted));
        Assert.That(result.AbortedLocally, Is.True);
        await AssertStillServesAsync(node, ct);
    }

    [Test]
    public async Task Aborts_a_truncated_PDU(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await AssociateAsync(node.Port, ct);
        // A P-DATA-TF announcing 100 bytes, of which 20 arrive before the peer stops sending.
        await stream.WriteAsync(Convert.FromHexString("040000000064" + "0000006201020304050607080910111213141516"), ct);
        stream.Socket.Shutdown(SocketShutdown.Send);
        var reply = await ReadToCloseAsync(stream, ct);
        Assert.That(Convert.ToHexString(reply), Is.EqualTo("07000000000400000206"));
        await AssertStillServesAsync(node, ct);
    }

    [Test]
    public async Task Aborts_P_DATA_before_association(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await ConnectAsync(node.Port, ct);
        var pdata = new byte[PduWriter.SinglePdvOverhead + 4];
        PduWriter.WriteSinglePdvHeader(pdata, 1, true, true, 4);
        await stream.WriteAsync(pdata, ct);
        var reply = await ReadToCloseAsync(stream, ct);
        // Sta2 + Evt10 → AA-1: A-ABORT with the service-user source (PS3.8 Table 9-9), then close under ARTIM.
        Assert.That(Convert.ToHexString(reply), Is.EqualTo(Convert.ToHexString(ServiceUserAbort)));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta2 Evt10 -> AA1 -> Sta13"));
        await AssertStillServesAsync(node, ct);
    }

    [Test]
    public async Task Answers_an_HTTP_request_with_A_ABORT_and_closes(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await ConnectAsync(node.Port, ct);
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray(), ct);
        var clock = Stopwatch.StartNew();
        var reply = await ReadToCloseAsync(stream, ct); // we keep our side open: ARTIM must close it
        Assert.That(Convert.ToHexString(reply), Is.EqualTo(Convert.ToHexString(ServiceUserAbort)));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta2 Evt19 -> AA1 -> Sta13"));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta13 Evt18 -> AA2 -> Sta1"));
        await AssertStillServesAsync(node, ct);
    }

    [Test]
    public async Task Closes_a_silent_connection_when_ARTIM_expires(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await ConnectAsync(node.Port, ct);
        var clock = Stopwatch.StartNew();
        var reply = await ReadToCloseAsync(stream, ct);
        Assert.That(reply, Is.Empty, "Sta2 + Evt18 → AA-2: close without a PDU");
        Assert.That(clock.Elapsed, Is.InRange(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5)));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta2 Evt18 -> AA2 -> Sta1"));
    }

    [Test]
    public async Task Aborts_an_established_association_that_stays_idle(CancellationToken ct)
    {
        var seen = new TaskCompletionSource<AssociationReceiveResult>();
        await using var node = new LoopbackNode(Serve(seen), ShortTimers);
        await using var stream = await AssociateAsync(node.Port, ct);
        var reply = await ReadToCloseAsync(stream, ct);
        Assert.That(Convert.ToHexString(reply), Is.EqualTo(Convert.ToHexString(ServiceUserAbort)));
        Assert.That((await seen.Task.WaitAsync(ct)).Detail, Does.Contain("Idle timeout"));
    }

    [Test]
    public async Task Aborts_a_second_association_request_on_an_established_association(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await AssociateAsync(node.Port, ct);
        await stream.WriteAsync(PduWriter.ToArray(LoopbackNode.Request(16384)), ct);
        var reply = await ReadToCloseAsync(stream, ct);
        // Sta6 + Evt6 → AA-8: A-ABORT, service-provider, unexpected-PDU.
        Assert.That(Convert.ToHexString(reply), Is.EqualTo("07000000000400000202"));
    }

    [Test]
    public async Task Aborts_a_PDV_on_a_presentation_context_that_was_not_accepted(CancellationToken ct)
    {
        await using var node = new LoopbackNode(Serve(), ShortTimers);
        await using var stream = await AssociateAsync(node.Port, ct);
        var pdata = new byte[PduWriter.SinglePdvOverhead + 2];
        PduWriter.WriteSinglePdvHeader(pdata, 9, true, true, 2);
        await stream.WriteAsync(pdata, ct);
        var reply = await ReadToCloseAsync(stream, ct);
        Assert.That(Convert.ToHexString(reply), Is.EqualTo("07000000000400000206"));
    }
}
