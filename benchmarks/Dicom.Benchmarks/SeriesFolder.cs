namespace EdgeCancer.Dicom.Benchmarks;

/// <summary>The DICOM files of a benchmark folder.</summary>
public static class SeriesFolder
{
    /// <summary>Every *.dcm file under <paramref name="folder"/>, in ordinal order; throws when there is none.</summary>
    public static string[] Files(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder} does not exist; generate a series with `edgecancer synth` (benchmarks/parse.sh does).");
        var files = Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        if (files.Length == 0) throw new FileNotFoundException($"{folder} holds no .dcm files.");
        return files;
    }
}
