using System.CommandLine;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Dicom.Serialization;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer find HOST PORT -k KEY=VALUE...</c>: C-FIND in the Patient Root (<c>-P</c>) or Study Root (<c>-S</c>)
/// model (PS3.4 C.4.1) as findscu does; each match printed as dump lines or DICOM JSON, then the final status.
/// </summary>
public static class FindCommand
{
    public static Command Create()
    {
        var scu = new ScuOptions();
        var query = new QueryKeys();
        var json = new Option<bool>("--json") { Description = "print each match as DICOM JSON (PS3.18 F.2)" };
        var cmd = new Command("find", "Query a DICOM peer with C-FIND (like findscu); --json prints one JSON array of the matches") { json };
        scu.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var (identifier, error) = query.Identifier(parse);
            if (identifier is null)
            {
                ScuOutput.Error("find", error!);
                return ScuExitCodes.Usage;
            }
            var endpoint = scu.Read(parse);
            var sopClass = query.Model(parse).Find();
            var connection = await endpoint.ConnectAsync([DicomClient.Propose(1, sopClass)], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (connection.Client is not { } client)
            {
                ScuOutput.Error("find", connection.Error!);
                return connection.ExitCode;
            }
            await using var _ = client;
            int matches = 0;
            var jsonMatches = new List<string>();
            DicomResponse? final = null;
            try
            {
                await foreach (var rsp in client.FindAsync(sopClass, identifier, cancellationToken).ConfigureAwait(false))
                {
                    if (rsp.Status.IsPending)
                    {
                        matches++;
                        if (rsp.Dataset is null) continue;
                        if (parse.GetValue(json))
                        {
                            jsonMatches.Add(DicomJsonWriter.Write(rsp.Dataset, indented: true));
                        }
                        else
                        {
                            Console.Out.WriteLine($"# Match {matches}");
                            Console.Out.Write(DicomDumpFormatter.Format(rsp.Dataset));
                            Console.Out.WriteLine();
                        }
                    }
                    else
                    {
                        final = rsp;
                    }
                }
            }
            catch (DicomNetworkException ex)
            {
                return ScuOutput.Lost("find", ex);
            }
            await ScuOutput.ReleaseQuietlyAsync(client, endpoint.Timeout).ConfigureAwait(false);
            // As a QIDO-RS response (PS3.18 F.2): one JSON array of the matches.
            if (parse.GetValue(json)) Console.Out.WriteLine("[" + string.Join(",", jsonMatches) + "]");
            var status = final!.Status;
            var line = $"C-FIND {ScuOutput.Describe(final)}: {matches} match{(matches == 1 ? "" : "es")}";
            if (parse.GetValue(json)) Console.Error.WriteLine(line); else Console.Out.WriteLine(line);
            return status.IsSuccess || status.State == DicomState.Warning ? ScuExitCodes.Success : ScuExitCodes.FailureStatus;
        });
        return cmd;
    }
}
