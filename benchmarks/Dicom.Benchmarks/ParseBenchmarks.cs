using BenchmarkDotNet.Attributes;

namespace EdgeCancer.Dicom.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the parse benchmark: one operation parses one file of the series (cycling through
/// them), so the reported time and allocated bytes are per file. The series folder comes from the environment
/// variable <see cref="FolderVariable"/> (Program sets it).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class ParseBenchmarks
{
    /// <summary>Environment variable naming the folder of .dcm files to parse.</summary>
    public const string FolderVariable = "EDGECANCER_BENCH_DIR";

    private string[] _files = [];
    private int _next;

    /// <summary>The parse mode of this run.</summary>
    [Params(ParseMode.HeaderOnly, ParseMode.Full, ParseMode.FullLoaded)]
    public ParseMode Mode { get; set; }

    /// <summary>Lists the series.</summary>
    [GlobalSetup]
    public void FindFiles()
    {
        string folder = Environment.GetEnvironmentVariable(FolderVariable)
            ?? throw new InvalidOperationException($"Set {FolderVariable} to a folder of DICOM files (benchmarks/parse.sh does).");
        _files = SeriesFolder.Files(folder);
    }

    /// <summary>Parses the next file of the series.</summary>
    [Benchmark]
    public int ParseOneFile()
    {
        string path = _files[_next];
        _next = (_next + 1) % _files.Length;
        return Parser.Parse(path, Mode);
    }
}
