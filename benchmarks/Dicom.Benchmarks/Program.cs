using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using EdgeCancer.Dicom.Benchmarks;

// Usage:
//   Dicom.Benchmarks --quick DIR [--repeat N] [--no-dcmdump]   Stopwatch harness beside dcmdump, prints a table
//   Dicom.Benchmarks DIR [BenchmarkDotNet options]             BenchmarkDotNet with [MemoryDiagnoser]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Dicom.Benchmarks --quick DIR [--repeat N] [--no-dcmdump]");
    Console.WriteLine("       Dicom.Benchmarks DIR [BenchmarkDotNet options, e.g. --job short]");
    Console.WriteLine("DIR holds .dcm files, e.g. from: edgecancer synth --out DIR --patients 1 --slices 300 --body chest");
    return args.Length == 0 ? 2 : 0;
}

if (args[0] == "--quick")
{
    if (args.Length < 2)
    {
        Console.Error.WriteLine("--quick needs the folder of .dcm files.");
        return 2;
    }

    int repeat = 5;
    int at = Array.IndexOf(args, "--repeat");
    if (at >= 0 && (at + 1 >= args.Length || !int.TryParse(args[at + 1], out repeat) || repeat < 1))
    {
        Console.Error.WriteLine("--repeat needs a positive number.");
        return 2;
    }

    return QuickHarness.Run(args[1], repeat, withDcmdump: !args.Contains("--no-dcmdump"), Console.Out);
}

Environment.SetEnvironmentVariable(ParseBenchmarks.FolderVariable, Path.GetFullPath(args[0]));
// BenchmarkDotNet builds a separate project; on a busy 2-core machine that can pass its default 2-minute limit.
// Run from the repository root (it looks for the .csproj below the current folder), or add --inProcess.
BenchmarkRunner.Run<ParseBenchmarks>(ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(15)), args[1..]);
return 0;
