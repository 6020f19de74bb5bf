using System.CommandLine;
using System.Diagnostics;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer echo HOST PORT</c>: C-ECHO (Verification, PS3.4 Annex A) as echoscu does, with round-trip times.</summary>
public static class EchoCommand
{
    public static Command Create()
    {
        var scu = new ScuOptions();
        var repeat = new Option<int>("--repeat", "-r") { Description = "number of C-ECHO requests on the association", DefaultValueFactory = _ => 1 };
        repeat.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--repeat must be at least 1."); });
        var cmd = new Command("echo", "Verify a DICOM peer with C-ECHO (like echoscu)") { repeat };
        scu.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var endpoint = scu.Read(parse);
            var connectClock = Stopwatch.StartNew();
            var connection = await endpoint.ConnectAsync([DicomClient.Propose(1, DicomUids.Verification.Value)], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (connection.Client is not { } client)
            {
                ScuOutput.Error("echo", connection.Error!);
                return connection.ExitCode;
            }
            await using var _ = client;
            Console.Out.WriteLine(ScuOutput.Invariant($"Association accepted by {endpoint} in {connectClock.Elapsed.TotalMilliseconds:0.0} ms"));
            int failures = 0;
            int count = parse.GetValue(repeat);
            try
            {
                for (int i = 1; i <= count; i++)
                {
                    // A silent peer is caught by the association's idle timeout (= --timeout), which aborts it.
                    var clock = Stopwatch.StartNew();
                    var rsp = await client.EchoAsync(cancellationToken).ConfigureAwait(false);
                    var rtt = clock.Elapsed.TotalMilliseconds;
                    string prefix = count > 1 ? $"[{i}/{count}] " : "";
                    Console.Out.WriteLine(ScuOutput.Invariant($"{prefix}C-ECHO {ScuOutput.Describe(rsp)}, round trip {rtt:0.000} ms"));
                    if (rsp.Status.IsFailure || rsp.Status.State == DicomState.Cancel) failures++;
                }
            }
            catch (DicomNetworkException ex)
            {
                return ScuOutput.Lost("echo", ex);
            }
            catch (OperationCanceledException)
            {
                return ScuExitCodes.Cancelled;
            }
            await ScuOutput.ReleaseQuietlyAsync(client, endpoint.Timeout).ConfigureAwait(false);
            return failures == 0 ? ScuExitCodes.Success : ScuExitCodes.FailureStatus;
        });
        return cmd;
    }
}
