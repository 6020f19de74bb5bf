using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>DCMTK storescu sending to the archive: what it reports, what lands in the store and in the index.</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class StorescuToArchiveTests
{
    private const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private static string[] Storescu(ArchiveNode node, params string[] args) =>
        ["-aec", ArchiveNode.AETitle, .. args, "127.0.0.1", node.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    private static void AssertStoredAsSent(ArchiveNode node, IEnumerable<string> sentFiles)
    {
        foreach (var sent in sentFiles)
        {
            var ids = StoredData.IdsOf(sent);
            var stored = node.PathOf(ids.Study, ids.Series, ids.Sop);
            Assert.That(File.Exists(stored), Is.True, $"{sent} not stored at {stored}");
            StoredData.AssertSameDatasetBytes(stored, sent);
        }
        Assert.That(node.IncomingLeftovers(), Is.Empty, ".incoming must be empty once every store completed");
    }

    [Test]
    public async Task Storescu_single_files_are_stored_byte_for_byte_and_indexed()
    {
        await using var node = await ArchiveNode.StartAsync();
        var synth = SyntheticSeries.Files(await SyntheticSeries.GetAsync(1, 2, 64));
        string[] files = [Path.Combine(PydicomFiles, "CT_small.dcm"), Path.Combine(PydicomFiles, "MR_small.dcm"), synth[0]];
        foreach (var f in files)
        {
            var r = await Peers.RunAsync("storescu", [.. Storescu(node), f], TimeSpan.FromSeconds(60));
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Output, Does.Not.Contain("E:"), r.ToString());
        }
        AssertStoredAsSent(node, files);
        Assert.That(node.StoredFiles(), Has.Length.EqualTo(3));
        Assert.That(node.CountRows("instance"), Is.EqualTo(3));
        Assert.That(node.CountRows("series"), Is.EqualTo(3));
        Assert.That(node.CountRows("study"), Is.EqualTo(3));
        Assert.That(node.CountRows("patient"), Is.EqualTo(3));
    }

    [Test]
    public async Task Storescu_sends_a_300_slice_series_on_one_association_and_all_of_it_is_stored()
    {
        await using var node = await ArchiveNode.StartAsync();
        var root = await SyntheticSeries.GetAsync(1, 300, 512);
        var r = await Peers.RunAsync("storescu", [.. Storescu(node, "-v", "+sd", "+r", "+sp", "*.dcm"), root], TimeSpan.FromSeconds(150));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(CountOf(r.Output, "I: Requesting Association"), Is.EqualTo(1), "one association");
        Assert.That(CountOf(r.Output, "Received Store Response (Success)"), Is.EqualTo(300), r.ToString());
        var files = SyntheticSeries.Files(root);
        Assert.That(files, Has.Length.EqualTo(300));
        AssertStoredAsSent(node, files);
        Assert.That(node.StoredFiles(), Has.Length.EqualTo(300));
        Assert.That(node.CountRows("instance"), Is.EqualTo(300));
        Assert.That(node.CountRows("series"), Is.EqualTo(1));
        Assert.That(node.CountRows("study"), Is.EqualTo(1));
    }

    // The input is first converted to the proposed syntax (dcmconv), so storescu offers that syntax on its own
    // presentation context and sends the data set in it unchanged; the node accepts it and must store it as such.
    [TestCase("-xi", "+ti", "1.2.840.10008.1.2")]
    [TestCase("-xe", "+te", "1.2.840.10008.1.2.1")]
    [TestCase("-xb", "+tb", "1.2.840.10008.1.2.2")]
    [TestCase("-xd", "+td", "1.2.840.10008.1.2.1.99")]
    public async Task Storescu_transfer_syntax_proposal_is_stored_in_that_syntax_and_rereads_equal(string proposal, string conversion, string syntax)
    {
        await using var node = await ArchiveNode.StartAsync();
        var original = SyntheticSeries.Files(await SyntheticSeries.GetAsync(1, 2, 64))[0];
        var work = Directory.CreateTempSubdirectory("ec-ts-").FullName;
        try
        {
            var converted = Path.Combine(work, "in.dcm");
            var c = PeerTools.Run("dcmconv", conversion, original, converted);
            Assert.That(c.ExitCode, Is.EqualTo(0), c.StdErr);
            var r = await Peers.RunAsync("storescu", [.. Storescu(node, "-v", proposal), converted], TimeSpan.FromSeconds(60));
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(r.Output, Does.Contain("Received Store Response (Success)"), r.ToString());

            var ids = StoredData.IdsOf(original);
            var stored = node.PathOf(ids.Study, ids.Series, ids.Sop);
            var file = DicomFile.Open(stored);
            Assert.That(file.FileMetaInfo.GetString(DicomTags.TransferSyntaxUID), Is.EqualTo(syntax));
            Assert.That(file.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID), Is.EqualTo(ids.Sop));
            StoredData.AssertSameDatasetValues(stored, original);
            // storescu inflates and deflates again, so compressed bytes may differ; uncompressed ones must not.
            if (proposal != "-xd") StoredData.AssertSameDatasetBytes(stored, converted);
            Assert.That(node.CountRows("instance"), Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [TestCase(4096)]
    [TestCase(131072)]
    public async Task Storescu_with_max_pdu_stores_a_series_intact(int maxPdu)
    {
        await using var node = await ArchiveNode.StartAsync();
        var root = await SyntheticSeries.GetAsync(1, 20, 256);
        var r = await Peers.RunAsync("storescu",
            [.. Storescu(node, "-v", "--max-pdu", maxPdu.ToString(System.Globalization.CultureInfo.InvariantCulture), "+sd", "+r", "+sp", "*.dcm"), root],
            TimeSpan.FromSeconds(60));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(CountOf(r.Output, "Received Store Response (Success)"), Is.EqualTo(20), r.ToString());
        AssertStoredAsSent(node, SyntheticSeries.Files(root));
        Assert.That(node.CountRows("instance"), Is.EqualTo(20));
    }

    [Test]
    public async Task Eight_storescu_processes_at_once_store_every_series()
    {
        await using var node = await ArchiveNode.StartAsync();
        var root = await SyntheticSeries.GetAsync(8, 12, 128);
        var series = SyntheticSeries.SeriesFolders(root);
        Assert.That(series, Has.Length.EqualTo(8));
        var runs = series.Select(s => Peers.RunAsync("storescu", [.. Storescu(node, "-v", "+sd", "+sp", "*.dcm"), s], TimeSpan.FromSeconds(120))).ToArray();
        var results = await Task.WhenAll(runs);
        foreach (var r in results)
        {
            Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
            Assert.That(CountOf(r.Output, "Received Store Response (Success)"), Is.EqualTo(12), r.ToString());
        }
        AssertStoredAsSent(node, SyntheticSeries.Files(root));
        Assert.That(node.StoredFiles(), Has.Length.EqualTo(96));
        Assert.That(node.CountRows("instance"), Is.EqualTo(96));
        Assert.That(node.CountRows("series"), Is.EqualTo(8));
        Assert.That(node.CountRows("study"), Is.EqualTo(8));
        Assert.That(node.CountRows("patient"), Is.EqualTo(8));
    }

    internal static int CountOf(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
