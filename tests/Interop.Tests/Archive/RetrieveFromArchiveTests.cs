using System.Diagnostics;
using System.Globalization;
using EdgeCancer.Scp.Services;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>DCMTK movescu (to a DCMTK storescp registered as remote AE) and getscu retrieving from the archive.</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class RetrieveFromArchiveTests
{
    private const string Destination = "DESTSCP";

    private static async Task<(ArchiveNode Node, string[] Sent)> NodeWithSeriesAsync(int destinationPort)
    {
        var node = await ArchiveNode.StartAsync(s => s.Configure<DicomNodeOptions>(o => o.RemoteAEs.Add(
            new RemoteAeSetting { AETitle = Destination, Host = "127.0.0.1", Port = destinationPort, Operations = "All" })));
        var sent = SyntheticSeries.Files(await SyntheticSeries.GetAsync(1, 5, 128, seed: 7));
        var r = await Peers.RunAsync("storescu", ["-aec", ArchiveNode.AETitle, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture), .. sent], TimeSpan.FromSeconds(60));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        return (node, sent);
    }

    private static void AssertReceivedEqualStored(ArchiveNode node, string receivedFolder, string[] sent)
    {
        var received = Directory.GetFiles(receivedFolder, "*", SearchOption.AllDirectories);
        Assert.That(received, Has.Length.EqualTo(sent.Length), "one file per stored instance");
        var bySop = received.ToDictionary(f => StoredData.IdsOf(f).Sop, StringComparer.Ordinal);
        foreach (var file in sent)
        {
            var ids = StoredData.IdsOf(file);
            Assert.That(bySop.ContainsKey(ids.Sop), Is.True, $"{ids.Sop} not received");
            StoredData.AssertSameDatasetBytes(bySop[ids.Sop], node.PathOf(ids.Study, ids.Series, ids.Sop));
        }
    }

    [Test]
    public async Task Movescu_to_a_storescp_destination_delivers_the_stored_files_byte_for_byte()
    {
        int scpPort = ArchiveNode.FreePort();
        var (node, sent) = await NodeWithSeriesAsync(scpPort);
        await using var _ = node;
        var received = Directory.CreateTempSubdirectory("ec-move-").FullName;
        using var scp = Process.Start(Peers.StartInfo("storescp", ["-aet", Destination, "-od", received, "+xa", scpPort.ToString(CultureInfo.InvariantCulture)]))!;
        try
        {
            await Task.Delay(300);
            var study = StoredData.IdsOf(sent[0]).Study;
            var r = await Peers.RunAsync("movescu", ["-v", "-S", "-aec", ArchiveNode.AETitle, "-aem", Destination, "-k", "QueryRetrieveLevel=STUDY",
                "-k", "StudyInstanceUID=" + study, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Output, Does.Contain("Received Final Move Response (Success)"), r.ToString());
            Assert.That(r.Output, Does.Not.Contain("Failed"), r.ToString());
            AssertReceivedEqualStored(node, received, sent);
        }
        finally
        {
            scp.Kill(true);
            Directory.Delete(received, true);
        }
    }

    [Test]
    public async Task Getscu_receives_the_stored_files_byte_for_byte_on_the_same_association()
    {
        var (node, sent) = await NodeWithSeriesAsync(ArchiveNode.FreePort());
        await using var _ = node;
        var received = Directory.CreateTempSubdirectory("ec-get-").FullName;
        try
        {
            var ids = StoredData.IdsOf(sent[0]);
            // +B: getscu writes what it received unchanged (its default re-encodes sequences with undefined length).
            var r = await Peers.RunAsync("getscu", ["-v", "+B", "-S", "-aec", ArchiveNode.AETitle, "-od", received, "-k", "QueryRetrieveLevel=SERIES",
                "-k", "StudyInstanceUID=" + ids.Study, "-k", "SeriesInstanceUID=" + ids.Series, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Output, Does.Contain("Received C-GET Response (Success)"), r.ToString());
            Assert.That(r.Output, Does.Match(@"Number of Completed Suboperations\s*:\s*5\b"), r.ToString());
            Assert.That(r.Output, Does.Match(@"Number of Failed Suboperations\s*:\s*0\b"), r.ToString());
            AssertReceivedEqualStored(node, received, sent);
        }
        finally
        {
            Directory.Delete(received, true);
        }
    }

    [Test]
    public async Task Movescu_to_an_unknown_destination_gets_status_A801()
    {
        var (node, sent) = await NodeWithSeriesAsync(ArchiveNode.FreePort());
        await using var _ = node;
        var r = await Peers.RunAsync("movescu", ["-v", "-S", "-aec", ArchiveNode.AETitle, "-aem", "NOBODY", "-k", "QueryRetrieveLevel=STUDY",
            "-k", "StudyInstanceUID=" + StoredData.IdsOf(sent[0]).Study, "127.0.0.1", node.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
        // PS3.4 C.4.2.1.5: Refused: Move Destination unknown = A801.
        // DCMTK names the status A801 "Refused: MoveDestinationUnknown" (dcmnet's DIMSE status table).
        Assert.That(r.Output, Does.Contain("Received Final Move Response (Refused: MoveDestinationUnknown)"), r.ToString());
    }
}
