using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// Hostile or broken peers against the archive. Each case checks the standard's answer on the wire (PS3.8 Table 9-10
/// actions, §9.3.8 abort source/reason, PS3.7 statuses), then that the node still serves (echoscu and storescu
/// succeed) and that nothing half-written is left in store or index.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class HostileInputTests
{
    private const string CT = "1.2.840.10008.5.1.4.1.1.2";
    private const string ExplicitLE = "1.2.840.10008.1.2.1";
    private const int ArtimSeconds = 2;

    // A-ABORT PDU (PS3.8 §9.3.8): type 07, reserved, length 4, two reserved bytes, source, reason/diag.
    private static byte[] AbortBytes(byte source, byte reason) => [0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, source, reason];

    private static Task<ArchiveNode> StartNodeAsync(Action<IServiceCollection>? more = null) =>
        ArchiveNode.StartAsync(s =>
        {
            s.Configure<DicomNodeOptions>(o => o.ArtimTimeoutSeconds = ArtimSeconds);
            more?.Invoke(s);
        });

    private static async Task<string> ProbeFileAsync() => SyntheticSeries.Files(await SyntheticSeries.GetAsync(1, 2, 64))[0];

    /// <summary>After the hostile peer: echoscu and storescu still succeed, and store and index hold only the probe.</summary>
    private static async Task AssertStillServesAndNothingHalfWritten(ArchiveNode node, params string[] sopsThatMustNotExist)
    {
        var port = node.Port.ToString(CultureInfo.InvariantCulture);
        var echo = await Peers.RunAsync("echoscu", ["-aec", ArchiveNode.AETitle, "127.0.0.1", port], TimeSpan.FromSeconds(30));
        Assert.That(echo.ExitCode, Is.EqualTo(0), echo.ToString());
        var probe = await ProbeFileAsync();
        var store = await Peers.RunAsync("storescu", ["-v", "-aec", ArchiveNode.AETitle, "127.0.0.1", port, probe], TimeSpan.FromSeconds(30));
        Assert.That(store.Output, Does.Contain("Received Store Response (Success)"), store.ToString());
        var ids = StoredData.IdsOf(probe);
        await WaitUntil(() => node.IncomingLeftovers().Length == 0, TimeSpan.FromSeconds(10));
        Assert.That(node.IncomingLeftovers(), Is.Empty, ".incoming must be empty");
        Assert.That(node.StoredFiles(), Is.EqualTo(new[] { node.PathOf(ids.Study, ids.Series, ids.Sop) }), "only the probe may be stored");
        Assert.That(ArchiveNode.IndexedSopInstanceUids(node.Data), Is.EqualTo(new[] { ids.Sop }), "only the probe may be indexed");
        foreach (var sop in sopsThatMustNotExist)
            Assert.That(Directory.GetFiles(node.Data, "*", SearchOption.AllDirectories).Where(f => f.Contains(sop, StringComparison.Ordinal)), Is.Empty);
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        while (!condition() && sw.Elapsed < timeout) await Task.Delay(50);
    }

    private static async Task<TcpClient> ConnectRawAsync(ArchiveNode node)
    {
        var c = new TcpClient { NoDelay = true };
        await c.ConnectAsync("127.0.0.1", node.Port);
        return c;
    }

    /// <summary>Reads everything until the node closes the connection; fails if it stays open past <paramref name="timeout"/>.</summary>
    private static async Task<byte[]> ReadUntilClosedAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var ms = new MemoryStream();
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                int n = await stream.ReadAsync(buffer, cts.Token);
                if (n == 0) return ms.ToArray();
                ms.Write(buffer, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the node kept the connection open for {timeout.TotalSeconds} s; received so far: {Convert.ToHexString(ms.ToArray())}");
        }
        catch (IOException)
        {
            return ms.ToArray(); // reset by the node: closed as well
        }
        return ms.ToArray();
    }

    private static byte[] AssociateRequestBytes(params PresentationContextRequest[] contexts) =>
        PduWriter.ToArray(new AssociateRequestPdu(ArchiveNode.AETitle, "HOSTILE", contexts.Length > 0 ? contexts : [DicomClient.Propose(1, CT, ExplicitLE)],
            new UserInformation { MaxLength = 16384, ImplementationClassUid = DicomFile.ImplementationClassUid }));

    /// <summary>Associates on a raw socket and reads the A-ASSOCIATE-AC.</summary>
    private static async Task<(TcpClient Client, NetworkStream Stream)> AssociateRawAsync(ArchiveNode node)
    {
        var c = await ConnectRawAsync(node);
        var s = c.GetStream();
        await s.WriteAsync(AssociateRequestBytes());
        var header = new byte[6];
        await s.ReadExactlyAsync(header);
        Assert.That(header[0], Is.EqualTo(0x02), "A-ASSOCIATE-AC expected");
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await s.ReadExactlyAsync(body);
        return (c, s);
    }

    // Sta2 (no association yet) and an unrecognized PDU type ('G' = 0x47): Evt19 → AA-1, an A-ABORT with the
    // service-user source (PS3.8 Table 9-10), then ARTIM closes the connection (Sta13, Evt18 → AA-2).
    [Test]
    public async Task An_HTTP_request_on_the_DICOM_port_is_aborted_and_closed()
    {
        await using var node = await StartNodeAsync();
        using var c = await ConnectRawAsync(node);
        var s = c.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n"));
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(0, 0)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // A-ASSOCIATE-RQ header claiming 2 GiB in Sta2: invalid PDU (longer than any A-ASSOCIATE-RQ we accept) → AA-1.
    [Test]
    public async Task A_PDU_claiming_2_GiB_before_association_is_aborted_without_allocating()
    {
        await using var node = await StartNodeAsync();
        using var c = await ConnectRawAsync(node);
        var s = c.GetStream();
        await s.WriteAsync(new byte[] { 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 });
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(0, 0)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // P-DATA-TF claiming 2 GiB in Sta6, beyond the maximum length we advertised: Evt19 → AA-8, an A-ABORT with the
    // service-provider source (2) and reason invalid-PDU-parameter value (6), PS3.8 §9.3.8.
    [Test]
    public async Task A_P_DATA_PDU_claiming_2_GiB_after_association_gets_a_provider_abort()
    {
        await using var node = await StartNodeAsync();
        var (c, s) = await AssociateRawAsync(node);
        using var _ = c;
        await s.WriteAsync(new byte[] { 0x04, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x01, 0x03 });
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(2, 6)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // A P-DATA-TF whose PDV item claims more bytes than the PDU holds: invalid PDU parameter (Evt19 → AA-8).
    [Test]
    public async Task A_P_DATA_PDU_whose_item_overruns_the_PDU_gets_a_provider_abort()
    {
        await using var node = await StartNodeAsync();
        var (c, s) = await AssociateRawAsync(node);
        using var _ = c;
        await s.WriteAsync(new byte[] { 0x04, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x01, 0x03, 0xAA, 0xBB });
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(2, 6)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // The connection ends in the middle of a PDU. Our PDU reader reports a PDU cut short by the end of the stream as
    // an invalid PDU (Evt19 → AA-8: A-ABORT, service-provider source, invalid-PDU-parameter value) before the
    // transport-closed indication; the peer half-closed, so it can still read that abort. The partial data set is discarded.
    [Test]
    public async Task A_truncated_PDU_mid_data_set_leaves_nothing_behind()
    {
        await using var node = await StartNodeAsync();
        var probe = await ProbeFileAsync();
        var ids = StoredData.IdsOf(probe);
        var (c, s) = await AssociateRawAsync(node);
        using var _ = c;
        var command = DicomRequest.CStore(CT, ids.Sop, 1);
        command.PresentationContextId = 1;
        var cmd = command.EncodeCommand();
        await s.WriteAsync(DataPdu(1, true, true, cmd));
        var data = StoredData.DatasetBytes(probe);
        await s.WriteAsync(DataPdu(1, false, false, data.AsSpan(0, 4000)));
        var truncated = DataPdu(1, false, false, data.AsSpan(4000, 4000));
        await s.WriteAsync(truncated.AsMemory(0, 1000));
        c.Client.Shutdown(SocketShutdown.Send);
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(2, 6)));
        await AssertStillServesAndNothingHalfWrittenExcept(node, probe);
    }

    // Sta2 and a P-DATA-TF: Evt10 → AA-1.
    [Test]
    public async Task P_DATA_before_association_is_aborted()
    {
        await using var node = await StartNodeAsync();
        using var c = await ConnectRawAsync(node);
        var s = c.GetStream();
        await s.WriteAsync(DataPdu(1, true, true, new byte[] { 0x00, 0x00 }));
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        Assert.That(answer, Is.EqualTo(AbortBytes(0, 0)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // Transport connected and nothing sent: ARTIM (started by AE-5) expires, Evt18 → AA-2 closes the connection.
    [Test]
    public async Task A_silent_connection_is_closed_when_ARTIM_expires()
    {
        await using var node = await StartNodeAsync();
        using var c = await ConnectRawAsync(node);
        var sw = Stopwatch.StartNew();
        var answer = await ReadUntilClosedAsync(c.GetStream(), TimeSpan.FromSeconds(ArtimSeconds + 5));
        sw.Stop();
        Assert.That(answer, Is.Empty);
        Assert.That(sw.Elapsed, Is.GreaterThan(TimeSpan.FromSeconds(ArtimSeconds - 0.5)).And.LessThan(TimeSpan.FromSeconds(ArtimSeconds + 3)));
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // A-RELEASE-RQ while a C-STORE data set is incomplete: the node must not store the fragment; it either releases
    // (AR-2 → A-RELEASE-RP) or aborts, and either way the connection ends.
    [Test]
    public async Task A_release_request_in_the_middle_of_a_data_set_stores_nothing()
    {
        await using var node = await StartNodeAsync();
        var probe = await ProbeFileAsync();
        var ids = StoredData.IdsOf(probe);
        var (c, s) = await AssociateRawAsync(node);
        using var _ = c;
        var command = DicomRequest.CStore(CT, ids.Sop, 1);
        await s.WriteAsync(DataPdu(1, true, true, command.EncodeCommand()));
        await s.WriteAsync(DataPdu(1, false, false, StoredData.DatasetBytes(probe).AsSpan(0, 3000)));
        await s.WriteAsync(new byte[] { 0x05, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00 });
        var answer = await ReadUntilClosedAsync(s, TimeSpan.FromSeconds(ArtimSeconds + 5));
        TestContext.Out.WriteLine("node answered " + Convert.ToHexString(answer));
        Assert.That(answer, Is.Not.Empty, "the release request must be answered");
        Assert.That(answer[0], Is.EqualTo(0x06).Or.EqualTo(0x07), "A-RELEASE-RP or A-ABORT");
        await AssertStillServesAndNothingHalfWrittenExcept(node, probe);
    }

    // PS3.4 B.2.3 / PS3.7 C.4.2.1.4: the data set's SOP Instance UID must equal the command's Affected SOP Instance
    // UID; otherwise 0xA900 (Error: Data Set does not match SOP Class) with an Error Comment.
    [Test]
    public async Task A_data_set_whose_SOP_Instance_UID_differs_from_the_commands_is_refused_with_A900()
    {
        await using var node = await StartNodeAsync();
        var probe = await ProbeFileAsync();
        var ids = StoredData.IdsOf(probe);
        const string other = "1.2.826.0.1.3680043.10.1.42";
        await using (var client = await DicomClient.ConnectAsync("127.0.0.1", node.Port, "HOSTILE", ArchiveNode.AETitle, [DicomClient.Propose(1, CT, ExplicitLE)]))
        {
            var rq = DicomRequest.CStore(CT, other, client.Channel.NextMessageId());
            rq.PresentationContextId = 1;
            using var data = new MemoryStream(StoredData.DatasetBytes(probe));
            var rsp = await client.Channel.RequestSingleAsync(rq, data);
            Assert.That(rsp.Status.Code, Is.EqualTo(0xA900), rsp.ToString());
            Assert.That(rsp.ErrorComment, Is.Not.Null.And.Not.Empty);
            Assert.That(rsp.ErrorComment!.Length, Is.LessThanOrEqualTo(64), "Error Comment is LO");
            await client.ReleaseAsync();
        }
        await AssertStillServesAndNothingHalfWrittenExcept(node, probe, other);
    }

    // A UID with "../" is not a UID (PS3.5 §9.1): the store is refused with a failure status and nothing is
    // written anywhere, least of all outside the store's root.
    [Test]
    public async Task A_SOP_Instance_UID_with_dot_dot_slash_is_refused_and_nothing_is_written_outside_the_root()
    {
        await using var node = await StartNodeAsync();
        var probe = await ProbeFileAsync();
        const string evil = "../../x";
        var ds = DicomFile.Open(probe).Dataset;
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, evil);
        using var data = new MemoryStream();
        DicomFile.WriteDataset(data, ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        data.Position = 0;
        await using (var client = await DicomClient.ConnectAsync("127.0.0.1", node.Port, "HOSTILE", ArchiveNode.AETitle, [DicomClient.Propose(1, CT, ExplicitLE)]))
        {
            var rq = DicomRequest.CStore(CT, evil, client.Channel.NextMessageId());
            rq.PresentationContextId = 1;
            var rsp = await client.Channel.RequestSingleAsync(rq, data);
            Assert.That(rsp.Status.IsFailure, Is.True, rsp.ToString());
            Assert.That(rsp.Status.Code, Is.EqualTo(0xC000), "Error: Cannot understand (PS3.4 B.2.3)");
            await client.ReleaseAsync();
        }
        var parent = Path.GetDirectoryName(node.Data)!;
        Assert.That(File.Exists(Path.Combine(parent, "x")) || File.Exists(Path.Combine(parent, "x.dcm")) || File.Exists(Path.Combine(node.Data, "x.dcm")) || File.Exists(Path.Combine(node.Data, "x")), Is.False);
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // An abstract syntax we do not support: its presentation context is rejected with result 3
    // (abstract-syntax-not-supported, PS3.8 Table 9-18), so storescu has no context to send the file on.
    [Test]
    public async Task An_unknown_SOP_class_gets_its_presentation_context_rejected()
    {
        await using var node = await StartNodeAsync();
        const string unknownClass = "1.2.826.0.1.3680043.10.1.999";
        var work = Directory.CreateTempSubdirectory("ec-unknown-").FullName;
        try
        {
            var file = Path.Combine(work, "unknown.dcm");
            File.Copy(await ProbeFileAsync(), file);
            var m = PeerTools.Run("dcmodify", "-nb", "-m", $"(0008,0016)={unknownClass}", file); // dcmodify updates (0002,0002) itself
            Assert.That(m.ExitCode, Is.EqualTo(0), m.StdErr);
            var r = await Peers.RunAsync("storescu", ["-aec", ArchiveNode.AETitle, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture), file], TimeSpan.FromSeconds(30));
            // storescu proposes the class (without -R it does not check it against its own list) and, the context
            // being rejected, reports that it has none to send the file on.
            Assert.That(r.Output, Does.Contain("No presentation context for: (unknown SOP class) " + unknownClass), r.ToString());
            Assert.That(r.Output, Does.Not.Contain("Received Store Response"), r.ToString());

            var request = new AssociateRequestPdu(ArchiveNode.AETitle, "HOSTILE", [DicomClient.Propose(1, unknownClass, ExplicitLE), DicomClient.Propose(3, CT, ExplicitLE)],
                new UserInformation { MaxLength = 16384, ImplementationClassUid = DicomFile.ImplementationClassUid });
            var outcome = await Association.ConnectAsync("127.0.0.1", node.Port, request, null, CancellationToken.None);
            Assert.That(outcome.IsEstablished, Is.True, outcome.Failure);
            await using var association = outcome.Association!;
            var results = association.Accept.PresentationContexts.ToDictionary(p => p.Id, p => p.Result);
            Assert.That(results[1], Is.EqualTo(PresentationContextResultReason.AbstractSyntaxNotSupported));
            Assert.That(results[3], Is.EqualTo(PresentationContextResultReason.Acceptance));
            await association.ReleaseAsync(CancellationToken.None);
        }
        finally
        {
            Directory.Delete(work, true);
        }
        await AssertStillServesAndNothingHalfWritten(node);
    }

    // Free space below the watermark: 0xA700 Refused: Out of Resources (PS3.4 B.2.3), nothing stored.
    [Test]
    public async Task A_disk_below_the_watermark_refuses_stores_with_A700()
    {
        await using var node = await StartNodeAsync(s => s.Configure<FileStoreOptions>(f => f.FreeSpaceWatermarkBytes = long.MaxValue));
        var probe = await ProbeFileAsync();
        var port = node.Port.ToString(CultureInfo.InvariantCulture);
        var r = await Peers.RunAsync("storescu", ["-v", "-aec", ArchiveNode.AETitle, "127.0.0.1", port, probe], TimeSpan.FromSeconds(30));
        Assert.That(r.Output, Does.Contain("Received Store Response (Refused: OutOfResources)"), r.ToString());
        await using (var client = await DicomClient.ConnectAsync("127.0.0.1", node.Port, "HOSTILE", ArchiveNode.AETitle, [DicomClient.Propose(1, CT, ExplicitLE)]))
        {
            var rsp = await client.StoreAsync(probe);
            Assert.That(rsp.Status.Code, Is.EqualTo(0xA700), rsp.ToString());
            await client.ReleaseAsync();
        }
        var echo = await Peers.RunAsync("echoscu", ["-aec", ArchiveNode.AETitle, "127.0.0.1", port], TimeSpan.FromSeconds(30));
        Assert.That(echo.ExitCode, Is.EqualTo(0), echo.ToString());
        Assert.That(node.StoredFiles(), Is.Empty);
        Assert.That(node.IncomingLeftovers(), Is.Empty);
        Assert.That(node.CountRows("instance"), Is.EqualTo(0));
    }

    /// <summary>Like <see cref="AssertStillServesAndNothingHalfWritten"/> when the hostile peer used the probe's own UIDs.</summary>
    private static Task AssertStillServesAndNothingHalfWrittenExcept(ArchiveNode node, string probe, params string[] forbidden)
    {
        Assert.That(node.StoredFiles(), Is.Empty, "the hostile attempt must not have stored anything");
        Assert.That(node.CountRows("instance"), Is.EqualTo(0), "the hostile attempt must not have indexed anything");
        return AssertStillServesAndNothingHalfWritten(node, forbidden);
    }

    /// <summary>A P-DATA-TF PDU with one PDV (PS3.8 §9.3.5, message control header per Annex E.2).</summary>
    private static byte[] DataPdu(byte context, bool isCommand, bool isLast, ReadOnlySpan<byte> data)
    {
        var pdu = new byte[6 + 4 + 2 + data.Length];
        pdu[0] = 0x04;
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(2), (uint)(pdu.Length - 6));
        BinaryPrimitives.WriteUInt32BigEndian(pdu.AsSpan(6), (uint)(2 + data.Length));
        pdu[10] = context;
        pdu[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
        data.CopyTo(pdu.AsSpan(12));
        return pdu;
    }
}
