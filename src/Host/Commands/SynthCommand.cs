using System.CommandLine;
using System.Globalization;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer synth</c>: writes synthetic CT phantom series (CT Image Storage) with ground-truth labels, laid out as
/// <c>OUT/&lt;PatientID&gt;/study-1/series-1/NNNN.dcm</c> plus <c>labels.json</c> per series and <c>OUT/index.json</c>.
/// </summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out", "-o") { Description = "output folder (created)", Required = true };
        var patients = new Option<int>("--patients", "-p") { Description = "number of patients (one series each)", DefaultValueFactory = _ => 1 };
        var slices = new Option<int>("--slices", "-n") { Description = "images per series", DefaultValueFactory = _ => 64 };
        var body = new Option<string>("--body") { Description = "body region: chest, head, abdomen or mixed (rotates through the three)", DefaultValueFactory = _ => "chest" };
        body.AcceptOnlyFromAmong("chest", "head", "abdomen", "mixed");
        var seed = new Option<long>("--seed") { Description = "seed; the same seed and options give identical files", DefaultValueFactory = _ => 1 };
        var lesions = new Option<string>("--lesions") { Description = "auto (≈40% healthy, 20% benign, 40% malignant-looking), none, or always", DefaultValueFactory = _ => "auto" };
        lesions.AcceptOnlyFromAmong("auto", "none", "always");
        var noise = new Option<double>("--noise") { Description = "noise multiplier (0 = noiseless, 1 = typical)", DefaultValueFactory = _ => 1.0 };
        var thickness = new Option<double?>("--thickness") { Description = "slice thickness and spacing in mm (default: region length / slices, 0.5–10)" };
        var intercept = new Option<double>("--rescale-intercept") { Description = "Rescale Intercept: 0 (stored = HU) or e.g. -1024", DefaultValueFactory = _ => 0 };
        var noDose = new Option<bool>("--fixed-dose") { Description = "same dose for every patient (no dose variation)" };

        var cmd = new Command("synth", "Write synthetic CT phantom series with labels") { output, patients, slices, body, seed, lesions, noise, thickness, intercept, noDose };
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var options = new CtPhantomOptions
            {
                Patients = parse.GetValue(patients),
                Slices = parse.GetValue(slices),
                Body = Enum.Parse<BodyRegionChoice>(parse.GetValue(body) ?? "chest", ignoreCase: true),
                Seed = parse.GetValue(seed),
                Lesions = Enum.Parse<LesionMode>(parse.GetValue(lesions) ?? "auto", ignoreCase: true),
                Noise = parse.GetValue(noise),
                SliceThickness = parse.GetValue(thickness),
                RescaleIntercept = parse.GetValue(intercept),
                DoseVariation = !parse.GetValue(noDose),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"edgecancer synth: {ex.Message}");
                return 2;
            }
            string outDir = parse.GetValue(output)!;
            var progress = new SynchronousProgress(p =>
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{p.Done}/{p.Total}] {p.Series.Directory}: {p.Series.BodyRegion.ToString().ToLowerInvariant()}, {p.Series.Images} images, {(p.Series.Malignant ? "malignant-looking" : p.Series.Lesions > 0 ? "benign lesions" : "healthy")}, {p.Series.Elapsed.TotalSeconds:0.0} s")));
            try
            {
                var summary = await CtPhantomGenerator.RunAsync(options, outDir, progress, cancellationToken).ConfigureAwait(false);
                var byRegion = string.Join(", ", summary.Series.GroupBy(s => s.BodyRegion).OrderBy(g => g.Key).Select(g => $"{g.Key.ToString().ToLowerInvariant()} {g.Count()}"));
                int malignant = summary.Series.Count(s => s.Malignant), benign = summary.Series.Count(s => !s.Malignant && s.Lesions > 0);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {summary.Series.Count} series, {summary.Images} images, {summary.Bytes / 1048576.0:0.0} MiB to {outDir} in {summary.Elapsed.TotalSeconds:0.0} s ({byRegion}; {malignant} malignant-looking, {benign} benign only, {summary.Series.Count - malignant - benign} healthy)."));
                return 0;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("edgecancer synth: cancelled.");
                return 130;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"edgecancer synth: cannot write to {outDir}: {ex.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and could reorder lines).</summary>
    private sealed class SynchronousProgress(Action<(int Done, int Total, SynthesizedSeries Series)> report) : IProgress<(int Done, int Total, SynthesizedSeries Series)>
    {
        public void Report((int Done, int Total, SynthesizedSeries Series) value) => report(value);
    }
}
