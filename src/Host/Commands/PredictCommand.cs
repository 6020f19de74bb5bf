using System.CommandLine;
using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;

namespace EdgeCancer.Host.Commands;

/// <summary><c>edgecancer predict FILE...</c>: prints the results each file would get from the active models.</summary>
public static class PredictCommand
{
    public static Command Create()
    {
        var models = new Option<string>("--models", "-m") { Description = "models folder", DefaultValueFactory = _ => "models" };
        var files = new Argument<string[]>("files") { Description = "DICOM files", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("predict", "Run the active models on DICOM files and print the results") { models, files };
        cmd.SetAction(parse =>
        {
            ActiveModelProvider provider;
            try
            {
                provider = new ActiveModelProvider(new ModelRegistry(parse.GetValue(models)!));
            }
            catch (ModelRejectedException ex)
            {
                Console.Error.WriteLine($"edgecancer predict: {ex.Message}");
                return 2;
            }
            using (provider)
            {
                var classifier = new Classifier(provider);
                int failed = 0;
                foreach (var path in parse.GetValue(files)!)
                {
                    DicomFile file;
                    try
                    {
                        file = DicomFile.Open(path);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DicomDataException or EdgeCancer.Dicom.IO.DicomReadException)
                    {
                        Console.Out.WriteLine($"{path}: not analysed: cannot read the file: {ex.Message}");
                        failed++;
                        continue;
                    }
                    var result = classifier.Predict(file);
                    if (!result.Analysed)
                    {
                        Console.Out.WriteLine($"{path}: not analysed: {result.NotAnalysedReason}");
                        continue;
                    }
                    Console.Out.WriteLine(path + ": " + string.Join("; ", result.Predictions.Select(Describe)));
                }
                return failed == 0 ? 0 : 1;
            }
        });
        return cmd;
    }

    private static string Describe(ModelPrediction p) => p.Threshold is { } t
        ? string.Create(CultureInfo.InvariantCulture, $"{p.Model} {p.Version}: {p.Label} (p={p.Probability:0.0000}, threshold {t:0.00}, sha256 {p.Sha256[..12]})")
        : string.Create(CultureInfo.InvariantCulture, $"{p.Model} {p.Version}: {p.Label} (p={p.Probability:0.0000}, sha256 {p.Sha256[..12]})");
}
