using System.CommandLine;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer move HOST PORT --dest AE -k KEY=VALUE...</c>: C-MOVE (PS3.4 C.4.2) as movescu does (without its own
/// storage SCP: the destination is any AE the peer knows); prints the sub-operation counts of each pending response
/// and the final ones.
/// </summary>
public static class MoveCommand
{
    public static Command Create()
    {
        var scu = new ScuOptions();
        var query = new QueryKeys();
        var dest = new Option<string>("--dest", "-aem") { Description = "move destination AE title (must be known to the peer)", Required = true };
        var cmd = new Command("move", "Ask a DICOM peer to send instances to an AE with C-MOVE (like movescu)") { dest };
        scu.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var (identifier, error) = query.Identifier(parse);
            if (identifier is null)
            {
                ScuOutput.Error("move", error!);
                return ScuExitCodes.Usage;
            }
            var destination = parse.GetValue(dest)!;
            if (destination.Trim().Length == 0 || destination.Length > 16)
            {
                ScuOutput.Error("move", $"--dest must be an AE title of 1–16 characters (got \"{destination}\").");
                return ScuExitCodes.Usage;
            }
            var endpoint = scu.Read(parse);
            var sopClass = query.Model(parse).Move();
            // The model's FIND context too, as movescu proposes it: some archives expect both (DCMTK's dcmqrscp logs an error otherwise).
            var contexts = new[] { DicomClient.Propose(1, sopClass), DicomClient.Propose(3, query.Model(parse).Find()) };
            var connection = await endpoint.ConnectAsync(contexts, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (connection.Client is not { } client)
            {
                ScuOutput.Error("move", connection.Error!);
                return connection.ExitCode;
            }
            await using var _ = client;
            DicomResponse? final = null;
            try
            {
                await foreach (var rsp in client.MoveAsync(sopClass, destination, identifier, cancellationToken).ConfigureAwait(false))
                {
                    if (rsp.Status.IsPending) Console.Out.WriteLine($"Pending: {Counts(rsp)}");
                    else final = rsp;
                }
            }
            catch (DicomNetworkException ex)
            {
                return ScuOutput.Lost("move", ex);
            }
            await ScuOutput.ReleaseQuietlyAsync(client, endpoint.Timeout).ConfigureAwait(false);
            Console.Out.WriteLine($"C-MOVE to {destination} {ScuOutput.Describe(final!)}: {Counts(final!)}");
            // PS3.4 C.4.2.1.5: 0xB000 means some sub-operations failed; that is not success for the user.
            return final!.Status.IsSuccess && (final.Failed ?? 0) == 0 ? ScuExitCodes.Success : ScuExitCodes.FailureStatus;
        });
        return cmd;
    }

    /// <summary>"remaining 3, completed 2, failed 0, warning 0" from the sub-operation counters present.</summary>
    internal static string Counts(DicomResponse rsp)
    {
        var parts = new List<string>(4);
        if (rsp.Remaining is { } r) parts.Add($"remaining {r}");
        parts.Add($"completed {rsp.Completed ?? 0}");
        parts.Add($"failed {rsp.Failed ?? 0}");
        parts.Add($"warning {rsp.Warning ?? 0}");
        return string.Join(", ", parts);
    }
}
