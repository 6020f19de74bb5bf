using System.Globalization;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Training;
using System.CommandLine;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer train</c>: trains the shipped heads on synthetic phantoms (fixed seeds) and writes them, with
/// manifests and model cards, into the models folder; <c>--evaluate</c> only re-runs the active models on the
/// held-out set and prints the figures.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models", "-m") { Description = "models folder", DefaultValueFactory = _ => "models" };
        var version = new Option<string>("--version") { Description = "version written for the heads", DefaultValueFactory = _ => "2" };
        var evaluate = new Option<bool>("--evaluate") { Description = "do not train: evaluate the active models on the held-out set and print the metrics" };
        var noCopy = new Option<bool>("--no-copy-backbone") { Description = "do not copy ResNet18.onnx into the models folder (it is then found in the NuGet package folder)" };
        var cache = new Option<string?>("--feature-cache") { Description = "folder keeping backbone features between runs (speeds up retraining)" };
        var cmd = new Command("train", "Train the body-part and chest-malignancy heads on synthetic phantoms and evaluate them on a held-out set") { models, version, evaluate, noCopy, cache };
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            string root = parse.GetValue(models)!;
            var log = new Progress(line => Console.Out.WriteLine(line));
            try
            {
                if (parse.GetValue(evaluate))
                {
                    var registry = new ModelRegistry(root);
                    using var provider = new ActiveModelProvider(registry);
                    using var lease = provider.Acquire();
                    foreach (var m in lease.Models.Classifiers) Console.Out.WriteLine($"{m.Name} {m.Version} sha256 {m.Sha256}");
                    var heldOut = SyntheticDataset.Build(SyntheticDatasetOptions.HeldOut);
                    Console.Out.WriteLine($"held-out set: {heldOut.Count} images (seed {SyntheticDatasetOptions.HeldOut.Seed})");
                    var report = await Task.Run(() => Evaluation.Evaluate(lease.Models, heldOut, log, cancellationToken), cancellationToken).ConfigureAwait(false);
                    foreach (var line in report.Describe()) Console.Out.WriteLine(line);
                    return report.MeetsTargets ? 0 : 3;
                }
                var result = await TrainingRun.RunAsync(new TrainingOptions(root, SyntheticDatasetOptions.Train, SyntheticDatasetOptions.HeldOut, parse.GetValue(version)!, CopyBackbone: !parse.GetValue(noCopy), FeatureCacheDirectory: parse.GetValue(cache)), log, cancellationToken).ConfigureAwait(false);
                foreach (var line in result.HeldOut.Describe()) Console.Out.WriteLine(line);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {result.BodyPart.Name} {result.BodyPart.Version} and {result.Malignancy.Name} {result.Malignancy.Version} to {Path.GetFullPath(root)} and activated them ({result.Elapsed.TotalSeconds:0} s)"));
                return result.HeldOut.MeetsTargets ? 0 : 3;
            }
            catch (ModelRejectedException ex)
            {
                Console.Error.WriteLine($"edgecancer train: {ex.Message}");
                return 2;
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine($"edgecancer train: {ex.Message}");
                return 2;
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("edgecancer train: cancelled.");
                return 130;
            }
        });
        return cmd;
    }

    /// <summary>Reports on the caller's thread.</summary>
    private sealed class Progress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
