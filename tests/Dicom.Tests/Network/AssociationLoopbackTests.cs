using System.Net.Sockets;
using System.Security.Cryptography;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

[Category("UpperLayer")]
[CancelAfter(60_000)]
public class AssociationLoopbackTests
{
    private static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Reads one whole message part (command or dataset) from PDVs, checking the fragment limit.</summary>
    private static async Task<(byte[] Bytes, int Fragments, int Largest)> ReadPartAsync(Association association, bool command, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        int fragments = 0, largest = 0;
        while (true)
        {
            var r = await association.ReceiveAsync(ct);
            Assert.That(r.Kind, Is.EqualTo(AssociationReceiveKind.Pdv), r.Detail);
            Assert.That(r.Pdv.IsCommand, Is.EqualTo(command));
            buffer.Write(r.Pdv.Data.Span);
            fragments++;
            largest = Math.Max(largest, r.Pdv.Data.Length);
            if (r.Pdv.IsLast) return (buffer.ToArray(), fragments, largest);
        }
    }

    [TestCase(4096u)]
    [TestCase(131072u)]
    public async Task Reassembles_fragmented_command_and_dataset_byte_for_byte(uint maxPdu, CancellationToken ct)
    {
        var command = Pattern(300, 1);
        var dataset = Pattern(1_000_003, 2);
        var serverDone = new TaskCompletionSource<(byte[], byte[], int, AssociationReceiveResult)>();
        await using var node = new LoopbackNode(async (association, token) =>
        {
            var (cmd, _, _) = await ReadPartAsync(association, true, token);
            var (data, _, largest) = await ReadPartAsync(association, false, token);
            // Echo both back: the acceptor's sends are sized to the requestor's maximum length.
            await association.SendPdvAsync(1, true, cmd, isLast: true, token);
            await association.SendPdvAsync(3, false, new MemoryStream(data), token);
            var release = await association.ReceiveAsync(token);
            Assert.That(release.Kind, Is.EqualTo(AssociationReceiveKind.ReleaseRequested));
            var end = await association.SendReleaseResponseAsync(token);
            serverDone.SetResult((cmd, data, largest, end));
        }, maxPduLength: maxPdu);

        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(maxPdu), null, ct);
        Assert.That(outcome.IsEstablished, Is.True, outcome.Failure);
        await using var scu = outcome.Association!;
        Assert.That(scu.MaxPdvDataLength, Is.EqualTo((int)maxPdu - 6));
        Assert.That(scu.AcceptedContexts[3].TransferSyntax, Is.EqualTo(LoopbackNode.ExplicitVRLittleEndian), "our preference, not the proposer's order");

        Assert.That(await scu.SendPdvAsync(1, true, command, isLast: true, ct), Is.True);
        // A dataset sent in two calls: the last-fragment bit only on the final PDU.
        Assert.That(await scu.SendPdvAsync(3, false, dataset.AsMemory(0, 500_000), isLast: false, ct), Is.True);
        Assert.That(await scu.SendPdvAsync(3, false, dataset.AsMemory(500_000), isLast: true, ct), Is.True);

        var (echoedCommand, _, _) = await ReadPartAsync(scu, true, ct);
        var (echoedData, fragments, largest) = await ReadPartAsync(scu, false, ct);
        var released = await scu.ReleaseAsync(ct);

        var (serverCommand, serverData, serverLargest, serverEnd) = await serverDone.Task.WaitAsync(ct);
        Assert.Multiple(() =>
        {
            Assert.That(serverCommand, Is.EqualTo(command));
            Assert.That(SHA256.HashData(serverData), Is.EqualTo(SHA256.HashData(dataset)));
            Assert.That(serverLargest, Is.EqualTo((int)maxPdu - 6), "requestor fills each PDU to the acceptor's maximum");
            Assert.That(echoedCommand, Is.EqualTo(command));
            Assert.That(SHA256.HashData(echoedData), Is.EqualTo(SHA256.HashData(dataset)));
            Assert.That(largest, Is.EqualTo((int)maxPdu - 6));
            Assert.That(fragments, Is.EqualTo((dataset.Length + (int)maxPdu - 7) / ((int)maxPdu - 6)));
            Assert.That(released.Kind, Is.EqualTo(AssociationReceiveKind.Released));
            Assert.That(serverEnd.Kind, Is.EqualTo(AssociationReceiveKind.Released));
            Assert.That(node.Errors, Is.Empty);
        });
    }

    [Test]
    public async Task Rejected_request_reports_the_reject_reason(CancellationToken ct)
    {
        await using var node = new LoopbackNode((_, _) => Task.CompletedTask);
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384, called: "NOTUS"), null, ct);
        Assert.That(outcome.IsEstablished, Is.False);
        Assert.That(outcome.Reject, Is.EqualTo(new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 7)));
    }

    [Test]
    public async Task Requestor_abort_reaches_the_acceptor_as_a_service_user_abort(CancellationToken ct)
    {
        var serverSaw = new TaskCompletionSource<AssociationReceiveResult>();
        await using var node = new LoopbackNode(async (a, token) => serverSaw.SetResult(await a.ReceiveAsync(token)));
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2) }, ct);
        await using var scu = outcome.Association!;
        await scu.AbortAsync(ct);
        var seen = await serverSaw.Task.WaitAsync(ct);
        Assert.That(seen.Kind, Is.EqualTo(AssociationReceiveKind.Aborted));
        Assert.That(seen.AbortedLocally, Is.False);
        Assert.That(seen.Abort, Is.EqualTo(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
        Assert.That(scu.State, Is.EqualTo(UpperLayerState.Sta1));
    }

    [Test]
    public async Task Acceptor_abort_reaches_the_requestor(CancellationToken ct)
    {
        await using var node = new LoopbackNode(async (a, token) => await a.AbortAsync(token), new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2) });
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), null, ct);
        await using var scu = outcome.Association!;
        var seen = await scu.ReceiveAsync(ct);
        Assert.That(seen.Kind, Is.EqualTo(AssociationReceiveKind.Aborted));
        Assert.That(seen.Abort!.Source, Is.EqualTo(AbortSource.ServiceUser));
    }

    [Test]
    public async Task Handles_a_release_collision_on_both_sides(CancellationToken ct)
    {
        var requestorSentRelease = new TaskCompletionSource();
        var serverEnd = new TaskCompletionSource<AssociationReceiveResult>();
        await using var node = new LoopbackNode(async (a, token) =>
        {
            await requestorSentRelease.Task.WaitAsync(token);
            await Task.Delay(100, token); // let the requestor's A-RELEASE-RQ arrive before we read
            Assert.That(await a.RequestReleaseAsync(token), Is.True);
            AssociationReceiveResult r;
            do r = await a.ReceiveAsync(token); while (r.Kind == AssociationReceiveKind.Pdv);
            serverEnd.SetResult(r);
        });
        var traces = new System.Collections.Concurrent.ConcurrentQueue<AssociationTrace>();
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), new AssociationOptions { Trace = traces.Enqueue }, ct);
        await using var scu = outcome.Association!;
        Assert.That(await scu.RequestReleaseAsync(ct), Is.True);
        requestorSentRelease.SetResult();
        await Task.Delay(300, ct); // let the acceptor's A-RELEASE-RQ arrive first: a true collision
        AssociationReceiveResult mine;
        do mine = await scu.ReceiveAsync(ct); while (mine.Kind == AssociationReceiveKind.Pdv);
        var theirs = await serverEnd.Task.WaitAsync(ct);

        Assert.That(mine.Kind, Is.EqualTo(AssociationReceiveKind.Released));
        Assert.That(theirs.Kind, Is.EqualTo(AssociationReceiveKind.Released));
        Assert.That(traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta7 Evt12 -> AR8 -> Sta9"));
        Assert.That(traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta11 Evt13 -> AR3 -> Sta1"));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta7 Evt12 -> AR8 -> Sta10"));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta10 Evt13 -> AR10 -> Sta12"));
        Assert.That(node.Traces.Select(t => t.ToString()), Has.Some.StartsWith("Sta12 Evt14 -> AR4 -> Sta13"));
    }

    [Test]
    public async Task Refuses_to_send_on_a_context_that_was_not_accepted(CancellationToken ct)
    {
        await using var node = new LoopbackNode(async (a, token) => await a.ReceiveAsync(token));
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), null, ct);
        await using var scu = outcome.Association!;
        Assert.That(async () => await scu.SendPdvAsync(7, true, new byte[1], true, ct), Throws.ArgumentException);
    }

    [Test]
    public async Task Sets_NoDelay_on_both_sides(CancellationToken ct)
    {
        var serverNoDelay = new TaskCompletionSource<bool>();
        await using var node = new LoopbackNode(async (a, token) =>
        {
            serverNoDelay.SetResult(GetSocket(a).NoDelay);
            await a.ReceiveAsync(token);
        });
        var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, LoopbackNode.Request(16384), null, ct);
        await using var scu = outcome.Association!;
        Assert.That(GetSocket(scu).NoDelay, Is.True);
        Assert.That(await serverNoDelay.Task.WaitAsync(ct), Is.True);
    }

    private static Socket GetSocket(Association a) => ((NetworkStream)a.Transport).Socket;
}
