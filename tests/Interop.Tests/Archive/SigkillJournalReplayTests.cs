using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using Microsoft.Data.Sqlite;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// The recovery path of durable mode's ingest journal, end to end: the node runs with a checkpoint interval of an hour,
/// so no instance is retired from the journal; it is killed with SIGKILL in the middle of a storescu run; then what a
/// power loss could have taken from the unsynced store and index is taken away by hand (index rows deleted; in the
/// journal's Data mode, where files are written without sync, acknowledged files deleted and cut short too). After the restart every acknowledged instance must be back, byte for byte,
/// indexed and found by C-FIND, and nothing else may be there but the one in flight.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class SigkillJournalReplayTests
{
    private const int KillAfterSuccesses = 60;

    // WriteOnce (the default): an acknowledged file was synced before its success, so a power loss can take its row
    // (and its rename, covered by JournalReplayTests), not its bytes. Data: the file was written without sync and only
    // the journal holds its bytes, so files are deleted and cut short too.
    [TestCase("WriteOnce")]
    [TestCase("Data")]
    public async Task Acknowledged_instances_whose_file_or_row_was_lost_come_back_from_the_journal_after_a_SIGKILL(string journalMode)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "edgecancer.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} missing: the Interop.Tests project references src/Host, so it is copied to the test output");
        var root = await SyntheticSeries.GetAsync(1, 300, 512);
        var data = Directory.CreateTempSubdirectory("ec-journal-kill-").FullName;
        int port = ArchiveNode.FreePort();
        var psi = new ProcessStartInfo("dotnet", ["exec", dll, "serve", "--roles", "scp", "--data", data, "--dicom-port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["EDGECANCER_Storage__JournalCheckpointInterval"] = "01:00:00";
        psi.Environment["EDGECANCER_Storage__JournalMode"] = journalMode;
        using var node = Process.Start(psi)!;
        var nodeLog = new StringBuilder();
        node.OutputDataReceived += (_, e) => { lock (nodeLog) nodeLog.AppendLine(e.Data); };
        node.ErrorDataReceived += (_, e) => { lock (nodeLog) nodeLog.AppendLine(e.Data); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            await SigkillDuringStoreTests.WaitForPortAsync(port, node, nodeLog);
            using var storescu = new Process { StartInfo = Peers.StartInfo("storescu", ["-v", "-aec", ArchiveNode.AETitle, "+sd", "+r", "+sp", "*.dcm", "127.0.0.1", port.ToString(CultureInfo.InvariantCulture), root]) };
            var output = new StringBuilder();
            int successes = 0;
            var killNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            DataReceivedEventHandler onLine = (_, e) =>
            {
                if (e.Data is null) return;
                lock (output) output.AppendLine(e.Data);
                if (e.Data.Contains("Received Store Response (Success)", StringComparison.Ordinal) && Interlocked.Increment(ref successes) == KillAfterSuccesses)
                    killNow.TrySetResult();
            };
            storescu.OutputDataReceived += onLine;
            storescu.ErrorDataReceived += onLine;
            storescu.Start();
            storescu.BeginOutputReadLine();
            storescu.BeginErrorReadLine();
            if (await Task.WhenAny(killNow.Task, storescu.WaitForExitAsync(), Task.Delay(90_000)) != killNow.Task)
                Assert.Fail($"storescu did not get {KillAfterSuccesses} successes:\n{output}\nnode:\n{nodeLog}");
            node.Kill(entireProcessTree: false); // SIGKILL on Linux
            await node.WaitForExitAsync();
            Assert.That(await Task.WhenAny(storescu.WaitForExitAsync(), Task.Delay(30_000)), Is.Not.Null);
            storescu.WaitForExit();
            var (acknowledged, inFlight) = SigkillDuringStoreTests.ParseStorescu(output.ToString());
            Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(KillAfterSuccesses));
            Assert.That(acknowledged, Has.Count.LessThan(300), "the kill must land in the middle of the run:\n" + output);

            // What a power loss may take from data written without sync: rows gone; in Data mode files gone and cut short.
            var dicom = Path.Combine(data, "dicom");
            var ids = acknowledged.Select(StoredData.IdsOf).ToList();
            string PathOf(StoredData.Ids i) => Path.Combine(dicom, i.Study, i.Series, i.Sop + ".dcm");
            if (journalMode == "Data")
            {
                for (int k = 0; k < 5; k++) File.Delete(PathOf(ids[k]));
                for (int k = 5; k < 10; k++) using (var fs = new FileStream(PathOf(ids[k]), FileMode.Open)) fs.SetLength(fs.Length / 3);
            }
            using (var c = new SqliteConnection($"Data Source={Path.Combine(data, "index.db")};Pooling=False"))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = "DELETE FROM instance WHERE sop_instance_uid IN (" + string.Join(",", ids.Skip(8).Take(10).Select(i => $"'{i.Sop}'")) + ")";
                Assert.That(cmd.ExecuteNonQuery(), Is.EqualTo(10));
            }

            await using var restarted = await ArchiveNode.StartAsync(data: data);
            Assert.That(restarted.IncomingLeftovers(), Is.Empty);
            var stored = restarted.StoredFiles();
            var storedSops = stored.Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
            var ackSops = ids.Select(i => i.Sop).ToHashSet(StringComparer.Ordinal);
            Assert.That(ackSops.Except(storedSops), Is.Empty, "every acknowledged instance must be stored again");
            var extra = storedSops.Except(ackSops).ToList();
            Assert.That(extra, Has.Count.LessThanOrEqualTo(1), "beyond the acknowledged, only the one in flight may be stored");
            if (extra.Count == 1)
                Assert.That(inFlight is not null && StoredData.IdsOf(inFlight).Sop == extra[0], Is.True, "the extra instance must be the one in flight");
            Assert.That(ArchiveNode.IndexedSopInstanceUids(data), Is.EquivalentTo(storedSops), "index rows must equal the stored files");
            foreach (var sent in acknowledged) StoredData.AssertSameDatasetBytes(PathOf(StoredData.IdsOf(sent)), sent);
            var first = ids[0];
            var reread = DicomFile.Open(PathOf(first));
            Assert.That(reread.Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(first.Sop));
        }
        finally
        {
            if (!node.HasExited) node.Kill();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }
}
