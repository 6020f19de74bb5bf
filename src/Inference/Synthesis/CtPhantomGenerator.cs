using System.Diagnostics;
using System.Text.Json;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>One series written by a run.</summary>
/// <param name="Directory">Series folder, relative to the output root.</param>
public sealed record SynthesizedSeries(string Directory, string PatientId, BodyRegion BodyRegion, bool Malignant, int Lesions, int Images, long Bytes, TimeSpan Elapsed);

/// <summary>What a run wrote.</summary>
public sealed record SynthesisSummary(IReadOnlyList<SynthesizedSeries> Series, TimeSpan Elapsed)
{
    /// <summary>Images written.</summary>
    public int Images => Series.Sum(s => s.Images);

    /// <summary>Bytes written (DICOM files only).</summary>
    public long Bytes => Series.Sum(s => s.Bytes);
}

/// <summary>
/// Writes a synthetic data set: for each patient one study with one axial CT series, laid out as
/// <c>OUT/&lt;PatientID&gt;/study-1/series-1/0001.dcm …</c> with <c>labels.json</c> in each series folder and
/// <c>OUT/index.json</c> listing every series with its labels' headline values.
/// </summary>
public static class CtPhantomGenerator
{
    /// <summary>File name of the run index at the output root.</summary>
    public const string IndexFileName = "index.json";

    /// <summary>Runs the synthesis; <paramref name="progress"/> hears of every finished series.</summary>
    public static Task<SynthesisSummary> RunAsync(CtPhantomOptions options, string outputDirectory, IProgress<(int Done, int Total, SynthesizedSeries Series)>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        return Task.Run(() => Run(options, outputDirectory, progress, cancellationToken), cancellationToken);
    }

    private static SynthesisSummary Run(CtPhantomOptions options, string outputDirectory, IProgress<(int, int, SynthesizedSeries)>? progress, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var series = new List<SynthesizedSeries>(options.Patients);
        Directory.CreateDirectory(outputDirectory);
        for (int p = 0; p < options.Patients; p++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watch = Stopwatch.StartNew();
            var phantom = new CtPhantom(options, p);
            var identity = PhantomIdentity.For(phantom);
            string relative = Path.Combine(identity.PatientId, "study-" + identity.StudyId, "series-" + identity.SeriesNumber);
            string dir = Path.Combine(outputDirectory, relative);
            var labels = CtSeriesWriter.Write(phantom, dir, cancellationToken);
            long bytes = labels.Slices.Sum(s => new FileInfo(Path.Combine(dir, s.File)).Length);
            var written = new SynthesizedSeries(relative, identity.PatientId, phantom.Region, labels.Malignant, labels.Lesions.Count, labels.Slices.Count, bytes, watch.Elapsed);
            series.Add(written);
            progress?.Report((p + 1, options.Patients, written));
        }
        var summary = new SynthesisSummary(series, total.Elapsed);
        var index = new { schema = "edgecancer-synth-index/1", options, series };
        File.WriteAllText(Path.Combine(outputDirectory, IndexFileName), JsonSerializer.Serialize(index, SeriesLabels.JsonOptions) + "\n");
        return summary;
    }
}
