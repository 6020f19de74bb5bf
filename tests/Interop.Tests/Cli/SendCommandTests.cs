using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Host.Commands;
using static EdgeCancer.Interop.Tests.Cli.CliHarness;

namespace EdgeCancer.Interop.Tests.Cli;

/// <summary><c>edgecancer send</c> of a folder to DCMTK's storescp: bytes received, summary, skipped files, failures.</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class SendCommandTests
{
    // Explicit VR LE CT (ends with trailing padding), Explicit VR LE MR, and an RLE Lossless secondary capture.
    private static readonly string[] Sources = ["CT_small.dcm", "MR_small.dcm", "SC_rgb_rle.dcm"];

    private static string MakeFolder()
    {
        var dir = Directory.CreateTempSubdirectory("ec-send-src").FullName;
        File.Copy(TestFile(Sources[0]), Path.Combine(dir, Sources[0]));
        Directory.CreateDirectory(Path.Combine(dir, "series", "deeper"));
        File.Copy(TestFile(Sources[1]), Path.Combine(dir, "series", Sources[1]));
        File.Copy(TestFile(Sources[2]), Path.Combine(dir, "series", "deeper", Sources[2]));
        File.WriteAllText(Path.Combine(dir, "series", "README.txt"), "notes about this series, not DICOM\n");
        return dir;
    }

    [Test]
    public async Task Send_of_a_folder_stores_every_file_byte_for_byte_skips_the_text_file_and_counts_statuses()
    {
        var source = MakeFolder();
        var received = Directory.CreateTempSubdirectory("ec-send-dst").FullName;
        int port = FreePort();
        await using var scp = await Peer.StartAsync("storescp", port, "-aet", "STORESCP", "-od", received, "+xa", port.ToString());

        var r = await RunAsync("send", "127.0.0.1", port.ToString(), "-aec", "STORESCP", source);
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        Assert.That(r.Out, Does.Contain("Sent 3 of 3 files").And.Contain("  Success: 3").And.Contain("files/s").And.Contain("MB/s"), r.ToString());
        Assert.That(r.Out, Does.Contain("Skipped (not DICOM or unreadable): 1"));
        Assert.That(r.Err, Does.Contain("README.txt: skipped, not a DICOM file"));

        foreach (var name in Sources)
        {
            var original = TestFile(name);
            var uid = DicomFile.OpenHeader(original).Dataset.GetString(DicomTags.SOPInstanceUID);
            // storescp names files <modality prefix>.<SOP Instance UID>.
            var got = Directory.GetFiles(received).SingleOrDefault(f => f.EndsWith("." + uid, StringComparison.Ordinal));
            Assert.That(got, Is.Not.Null, $"storescp did not write {name} ({uid}); it has {string.Join(", ", Directory.GetFiles(received).Select(Path.GetFileName))}");
            Assert.That(DicomFile.OpenHeader(got!).TransferSyntax, Is.EqualTo(DicomFile.OpenHeader(original).TransferSyntax), $"{name} was sent in another transfer syntax");
            AssertSameDataset(DatasetBytes(got!), DatasetBytes(original), name);
        }
        Assert.That(Directory.GetFiles(received), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task Send_over_two_parallel_associations_sends_each_file_once()
    {
        var source = MakeFolder();
        var received = Directory.CreateTempSubdirectory("ec-send-dst").FullName;
        int port = FreePort();
        await using var scp = await Peer.StartAsync("storescp", port, "-od", received, "+xa", port.ToString());

        var r = await RunAsync("send", "127.0.0.1", port.ToString(), "--associations", "2", source);
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.Success), r.ToString());
        Assert.That(r.Out, Does.Contain("Sent 3 of 3 files").And.Contain("  Success: 3").And.Contain("2 association(s)"), r.ToString());
        Assert.That(Directory.GetFiles(received), Has.Length.EqualTo(3));
    }

    [Test]
    public async Task A_file_whose_transfer_syntax_the_peer_refuses_is_reported_not_sent_and_the_exit_code_is_1()
    {
        var source = MakeFolder();
        var received = Directory.CreateTempSubdirectory("ec-send-dst").FullName;
        int port = FreePort();
        // Without +xa storescp accepts only the uncompressed transfer syntaxes, so the RLE context is refused.
        await using var scp = await Peer.StartAsync("storescp", port, "-od", received, port.ToString());

        var r = await RunAsync("send", "127.0.0.1", port.ToString(), source);
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.FailureStatus), r.ToString());
        Assert.That(r.Out, Does.Contain("Sent 2 of 3 files").And.Contain("  Success: 2").And.Contain("Not sent: The peer accepted no presentation context for Secondary Capture Image Storage"), r.ToString());
        Assert.That(r.Err, Does.Contain(Sources[2]));
        Assert.That(Directory.GetFiles(received), Has.Length.EqualTo(2));
    }

    [Test]
    public async Task Send_to_a_closed_port_fails_with_connection_refused_and_exit_code_4()
    {
        var r = await RunAsync("send", "127.0.0.1", FreePort().ToString(), TestFile(Sources[0]));
        Assert.That(r.Exit, Is.EqualTo(ScuExitCodes.ConnectionFailed), r.ToString());
        Assert.That(r.Err, Does.Contain("Connection refused"));
        Assert.That(r.Out, Does.Contain("Not sent: ").And.Contain("Sent 0 of 1 files"));
    }

    [Test]
    public void Contexts_are_split_into_associations_of_at_most_128_and_uncompressed_files_also_offer_both_little_endian_syntaxes()
    {
        var items = Enumerable.Range(0, 130).Select(i => new SendItem($"f{i}", $"1.2.3.{i}", $"1.2.4.{i}", DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, 10)).ToList();
        items.Add(new SendItem("rle", "1.2.3.0", "1.2.4.999", DicomTransferSyntax.RLELossless.Uid.Value, 10));
        var batches = SendPlan.Group(items);
        Assert.That(batches.Select(b => b.Contexts.Count), Is.EqualTo(new[] { 128, 3 }));
        Assert.That(batches.SelectMany(b => b.Items).Count(), Is.EqualTo(131));
        Assert.That(batches[0].Contexts.Select(c => (int)c.Id), Is.EqualTo(Enumerable.Range(0, 128).Select(i => 2 * i + 1)));
        Assert.That(batches[0].Contexts[0].TransferSyntaxes, Is.EqualTo(new[] { "1.2.840.10008.1.2.1", "1.2.840.10008.1.2" }));
        var rle = batches.SelectMany(b => b.Contexts).Single(c => c.TransferSyntaxes[0] == "1.2.840.10008.1.2.5");
        Assert.That(rle.TransferSyntaxes, Has.Count.EqualTo(1));
    }
}
