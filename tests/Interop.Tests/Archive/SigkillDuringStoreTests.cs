using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// The built <c>edgecancer serve</c> is killed with SIGKILL in the middle of a 300-slice storescu run and restarted
/// on the same data folder: every instance storescu saw succeed must be stored, indexed and readable, and nothing else
/// may be there except, at most, the one instance in flight at the kill (stored and committed, but its success
/// response lost with the process: the sender will resend it and the archive's duplicate policy absorbs that).
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed partial class SigkillDuringStoreTests
{
    private const int KillAfterSuccesses = 50;

    // Fast mode: acknowledged after the rename, the index rows committed behind (their record lets the restart index
    // what the kill kept from committing); a SIGKILL loses nothing the kernel already holds.
    [TestCase(false, TestName = "Instances_acknowledged_before_a_SIGKILL_survive_and_nothing_half_written_remains")]
    [TestCase(true, TestName = "Instances_acknowledged_before_a_SIGKILL_survive_and_nothing_half_written_remains_in_fast_mode")]
    public async Task Instances_acknowledged_before_a_SIGKILL_survive(bool fast)
    {
        var dll = Path.Combine(TestContext.CurrentContext.TestDirectory, "edgecancer.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll} missing: the Interop.Tests project references src/Host, so it is copied to the test output");
        var root = await SyntheticSeries.GetAsync(1, 300, 512);
        var data = Directory.CreateTempSubdirectory("ec-sigkill-").FullName;
        int port = ArchiveNode.FreePort();
        string[] args = ["exec", dll, "serve", "--roles", "scp", "--data", data, "--dicom-port", port.ToString(CultureInfo.InvariantCulture)];
        var psi = new ProcessStartInfo("dotnet", fast ? [.. args, "--fast"] : args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(psi)!;
        var nodeLog = new StringBuilder();
        node.OutputDataReceived += (_, e) => { lock (nodeLog) nodeLog.AppendLine(e.Data); };
        node.ErrorDataReceived += (_, e) => { lock (nodeLog) nodeLog.AppendLine(e.Data); };
        node.BeginOutputReadLine();
        node.BeginErrorReadLine();
        try
        {
            await WaitForPortAsync(port, node, nodeLog);

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
            Assert.That(storescu.HasExited, Is.True, "storescu must notice the dead peer");
            storescu.WaitForExit();

            var (acknowledged, inFlight) = ParseStorescu(output.ToString());
            Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(KillAfterSuccesses));
            Assert.That(acknowledged, Has.Count.LessThan(300), "the kill must land in the middle of the run:\n" + output);

            // Restart on the same data folder (in-process): start-up recovery runs before the node listens.
            await using var restarted = await ArchiveNode.StartAsync(data: data);
            Assert.That(restarted.IncomingLeftovers(), Is.Empty, ".incoming must hold no leftover after restart");

            var stored = restarted.StoredFiles();
            TestContext.Out.WriteLine($"storescu saw {acknowledged.Count} successes; {stored.Length} files stored after restart");
            var storedSops = stored.Select(f => Path.GetFileNameWithoutExtension(f)).ToHashSet(StringComparer.Ordinal);
            Assert.That(stored.All(f => f.EndsWith(".dcm", StringComparison.Ordinal)), Is.True, "only committed .dcm files: " + string.Join(", ", stored));
            var ackSops = acknowledged.Select(f => StoredData.IdsOf(f).Sop).ToHashSet(StringComparer.Ordinal);
            Assert.That(ackSops.Except(storedSops), Is.Empty, "every acknowledged instance must be stored");
            var extra = storedSops.Except(ackSops).ToList();
            Assert.That(extra, Has.Count.LessThanOrEqualTo(1), "beyond the acknowledged, only the one in flight may be stored");
            if (extra.Count == 1)
                Assert.That(inFlight is not null && StoredData.IdsOf(inFlight).Sop == extra[0], Is.True, "the extra instance must be the one in flight");

            var indexed = ArchiveNode.IndexedSopInstanceUids(data);
            Assert.That(indexed, Is.EquivalentTo(storedSops), "index rows must equal the stored files");
            Assert.That(restarted.CountRows("instance"), Is.EqualTo(stored.Length));

            foreach (var sent in acknowledged.Concat(inFlight is null ? [] : [inFlight]))
            {
                var ids = StoredData.IdsOf(sent);
                var path = restarted.PathOf(ids.Study, ids.Series, ids.Sop);
                if (!File.Exists(path)) continue; // only the in-flight one may be absent
                var file = DicomFile.Open(path);
                Assert.That(file.Dataset.GetString(DicomTags.SOPInstanceUID), Is.EqualTo(ids.Sop));
                StoredData.AssertSameDatasetBytes(path, sent);
            }

            // And the restarted node answers for them: findscu at IMAGE level lists exactly the stored instances.
            var first = StoredData.IdsOf(acknowledged[0]);
            var find = await Peers.RunAsync("findscu", ["-S", "-aec", ArchiveNode.AETitle, "-k", "QueryRetrieveLevel=IMAGE", "-k", "StudyInstanceUID=" + first.Study,
                "-k", "SeriesInstanceUID=" + first.Series, "-k", "SOPInstanceUID", "127.0.0.1", restarted.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(60));
            Assert.That(find.ExitCode, Is.EqualTo(0), find.ToString());
            var found = SopLine().Matches(find.Output).Select(m => m.Groups[1].Value.TrimEnd('\0', ' ')).ToHashSet(StringComparer.Ordinal);
            Assert.That(found, Is.EquivalentTo(storedSops));
        }
        finally
        {
            if (!node.HasExited) node.Kill();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
    }

    [GeneratedRegex(@"\(0008,0018\) UI \[([^\]]*)\]")]
    private static partial Regex SopLine();

    /// <summary>storescu -v prints "Sending file: F" then, per file, "Received Store Response (Success)".</summary>
    internal static (List<string> Acknowledged, string? InFlight) ParseStorescu(string output)
    {
        var acknowledged = new List<string>();
        string? current = null;
        foreach (var line in output.Split('\n'))
        {
            const string sending = "I: Sending file: ";
            if (line.StartsWith(sending, StringComparison.Ordinal)) current = line[sending.Length..].TrimEnd('\r');
            else if (line.Contains("Received Store Response (Success)", StringComparison.Ordinal) && current is not null)
            {
                acknowledged.Add(current);
                current = null;
            }
        }
        return (acknowledged, current);
    }

    internal static async Task WaitForPortAsync(int port, Process node, StringBuilder log)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (node.HasExited) Assert.Fail($"edgecancer serve exited with {node.ExitCode}:\n{log}");
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) { await Task.Delay(200); }
        }
        Assert.Fail($"edgecancer serve did not listen on {port} within 60 s:\n{log}");
    }
}
