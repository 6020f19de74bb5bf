using System.CommandLine;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer synth</c>: writes synthetic CT series (placeholder until the phantom generator lands).</summary>
public static class SynthCommand
{
    public static Command Create() => new("synth", "Write synthetic CT series");
}
