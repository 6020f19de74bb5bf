using System.Collections.Concurrent;
using System.CommandLine;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer send HOST PORT FILE|DIR...</c>: C-STORE of files and folders (like storescu <c>+sd</c>), files streamed
/// unchanged when the peer accepts their own transfer syntax, optionally over several associations in parallel.
/// </summary>
public static class SendCommand
{
    /// <summary>After this many associations lost in a row, a worker stops reconnecting.</summary>
    private const int MaxConsecutiveLosses = 3;

    public static Command Create()
    {
        var scu = new ScuOptions();
        var paths = new Argument<string[]>("FILE") { Description = "DICOM files and folders (searched recursively) to send", Arity = ArgumentArity.OneOrMore };
        var parallel = new Option<int>("--associations", "-j") { Description = "number of associations sending in parallel", DefaultValueFactory = _ => 1 };
        parallel.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 64) r.AddError("--associations must be 1–64."); });
        var cmd = new Command("send", "Send DICOM files and folders with C-STORE (like storescu +sd)") { parallel };
        scu.AddTo(cmd);
        cmd.Arguments.Add(paths);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var endpoint = scu.Read(parse);
            var plan = SendPlan.Build(parse.GetValue(paths) ?? [], cancellationToken);
            foreach (var s in plan.Skipped)
                Console.Error.WriteLine($"edgecancer send: {s.Path}: skipped, {s.Reason}");
            if (plan.Items.Count == 0)
            {
                ScuOutput.Error("send", "no DICOM files to send.");
                return ScuExitCodes.Usage;
            }
            var report = new SendReport(plan.Items.Count, plan.Items.Sum(i => i.Length), tty: !Console.IsOutputRedirected);
            int associations = parse.GetValue(parallel);
            var connectFailure = (Message: (string?)null, Code: 0);
            try
            {
                foreach (var batch in plan.Batches)
                {
                    var queue = new ConcurrentQueue<SendItem>(batch.Items);
                    var workers = Enumerable.Range(0, Math.Min(associations, batch.Items.Count))
                        .Select(_ => Task.Run(() => WorkAsync(endpoint, batch, queue, report, cancellationToken), cancellationToken)).ToArray();
                    var failures = await Task.WhenAll(workers).ConfigureAwait(false);
                    // Every worker gave up (could not connect): what is left was not sent, for the reason they met.
                    var reason = failures.LastOrDefault(f => f.Message is not null);
                    if (reason.Message is not null) connectFailure = reason;
                    while (queue.TryDequeue(out var left))
                        report.Add(new SendOutcome(left, null, null, reason.Message ?? "not sent"));
                }
            }
            catch (OperationCanceledException)
            {
                report.PrintSummary(endpoint.ToString(), associations, plan.Skipped);
                ScuOutput.Error("send", "cancelled.");
                return ScuExitCodes.Cancelled;
            }
            report.PrintSummary(endpoint.ToString(), associations, plan.Skipped);
            var outcomes = report.Outcomes;
            if (outcomes.All(o => o.Succeeded))
                return plan.Skipped.Any(s => s.NamedOnCommandLine) ? ScuExitCodes.FailureStatus : ScuExitCodes.Success;
            // Nothing got through because there was no association at all: say which way it failed.
            if (connectFailure.Message is not null && outcomes.All(o => o.Status is null)) return connectFailure.Code;
            return ScuExitCodes.FailureStatus;
        });
        return cmd;
    }

    /// <summary>One association's loop: takes files from the shared queue until it is empty; reconnects after a lost association.</summary>
    private static async Task<(string? Message, int Code)> WorkAsync(ScuEndpoint endpoint, SendBatch batch, ConcurrentQueue<SendItem> queue, SendReport report, CancellationToken cancellationToken)
    {
        DicomClient? client = null;
        int losses = 0;
        try
        {
            while (!queue.IsEmpty)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (client is null)
                {
                    var connection = await endpoint.ConnectAsync(batch.Contexts, cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (connection.Client is null)
                    {
                        report.Note($"edgecancer send: {connection.Error}");
                        return (connection.Error, connection.ExitCode);
                    }
                    client = connection.Client;
                }
                if (!queue.TryDequeue(out var item)) break;
                try
                {
                    var rsp = await client.StoreAsync(item.Path, cancellationToken).ConfigureAwait(false);
                    report.Add(new SendOutcome(item, rsp.Status, rsp.ErrorComment, null));
                    losses = 0;
                }
                catch (DicomNetworkException ex) when (client.Channel.Completion.IsCompleted)
                {
                    report.Add(new SendOutcome(item, null, null, "association lost: " + ex.Message));
                    await client.DisposeAsync().ConfigureAwait(false);
                    client = null;
                    if (++losses >= MaxConsecutiveLosses) return ($"{MaxConsecutiveLosses} associations in a row ended early; last: {ex.Message}", ScuExitCodes.AssociationLost);
                }
                catch (DicomNetworkException ex)
                {
                    // No accepted context for the file's SOP class / syntax, or a transcoding we do not do.
                    report.Add(new SendOutcome(item, null, null, ex.Message.Replace(item.Path + ": ", "", StringComparison.Ordinal)));
                }
                catch (Exception ex) when (ex is DicomReadException or IOException or UnauthorizedAccessException)
                {
                    report.Add(new SendOutcome(item, null, null, "cannot read the file: " + ex.Message));
                }
            }
            return (null, 0);
        }
        finally
        {
            if (client is not null)
            {
                await ScuOutput.ReleaseQuietlyAsync(client, endpoint.Timeout).ConfigureAwait(false);
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
