using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Benchmarks;

/// <summary>The three ways of parsing a file the benchmark measures, each beside its closest <c>dcmdump</c> run.</summary>
public enum ParseMode
{
    /// <summary><see cref="DicomFile.OpenHeader"/>: meta and dataset up to, not including, Pixel Data (7FE0,0010).</summary>
    HeaderOnly,

    /// <summary><see cref="DicomFile.Open(string, DicomReaderOptions?)"/> with defaults: every element parsed, values over 64 KiB (Pixel Data) kept as file references.</summary>
    Full,

    /// <summary>Every element parsed and every value read into memory, Pixel Data included.</summary>
    FullLoaded,
}

/// <summary>Runs one parse of one file in a <see cref="ParseMode"/>.</summary>
public static class Parser
{
    private static readonly DicomReaderOptions LoadAll = DicomReaderOptions.Default with { LargeValueThreshold = int.MaxValue };

    /// <summary>Parses <paramref name="path"/> and returns the number of top-level elements (so the work cannot be skipped).</summary>
    public static int Parse(string path, ParseMode mode)
    {
        var file = mode switch
        {
            ParseMode.HeaderOnly => DicomFile.OpenHeader(path),
            ParseMode.Full => DicomFile.Open(path),
            ParseMode.FullLoaded => DicomFile.Open(path, LoadAll),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return file.Dataset.Count;
    }

    /// <summary>
    /// The dcmdump arguments that do the closest work to <paramref name="mode"/>. <c>+P 0008,0018</c> prints only
    /// SOP Instance UID so that both sides parse the whole dataset but dcmdump's formatting of every element is not
    /// what is measured.
    /// </summary>
    public static string[] DcmdumpArguments(ParseMode mode) => mode switch
    {
        ParseMode.HeaderOnly => ["-q", "+sb", "7fe0,0010", "+P", "0008,0018"],
        ParseMode.Full => ["-q", "-M", "+P", "0008,0018"],
        ParseMode.FullLoaded => ["-q", "+M", "+P", "0008,0018"],
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>How the dcmdump side of <paramref name="mode"/> is described in the table.</summary>
    public static string DcmdumpDescription(ParseMode mode) => "dcmdump " + string.Join(' ', DcmdumpArguments(mode));
}
