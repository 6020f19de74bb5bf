using System.CommandLine;

namespace EdgeCancer.Host.Commands;

/// <summary>The <c>edgecancer</c> command line: one subcommand per file in this folder.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("EdgeCancer: a DICOM AI node for CT (archive, inference, viewer)");
        root.Subcommands.Add(DumpCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(EchoCommand.Create());
        root.Subcommands.Add(SendCommand.Create());
        root.Subcommands.Add(FindCommand.Create());
        root.Subcommands.Add(MoveCommand.Create());
        root.Subcommands.Add(GetCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        var parse = root.Parse(args);
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
