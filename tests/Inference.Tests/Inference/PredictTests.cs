using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class PredictTests
{
    private ActiveModelProvider _provider = null!;

    [OneTimeSetUp]
    public void Load() => _provider = new ActiveModelProvider(new ModelRegistry(TestModels.Root));

    [OneTimeTearDown]
    public void Unload() => _provider.Dispose();

    [TestCase(BodyRegionChoice.Chest, 20, "chest")]
    [TestCase(BodyRegionChoice.Chest, 40, "chest")]
    [TestCase(BodyRegionChoice.Head, 25, "head")]
    [TestCase(BodyRegionChoice.Abdomen, 30, "abdomen")]
    public void Synthetic_slices_get_the_right_body_part_with_model_versions(BodyRegionChoice region, int slice, string expected)
    {
        string dir = Directory.CreateTempSubdirectory("edgecancer-predict-").FullName;
        try
        {
            var file = SyntheticImages.SaveAndOpen(SyntheticImages.Slice(SyntheticImages.Phantom(region, seed: 31337), slice), Path.Combine(dir, "slice.dcm"));
            var result = new Classifier(_provider).Predict(file);
            Assert.That(result.NotAnalysedReason, Is.Null);
            var body = result.For("body-part")!;
            Assert.That(body.Label, Is.EqualTo(expected), string.Join(", ", body.Probabilities.Select(kv => $"{kv.Key} {kv.Value:0.000}")));
            Assert.That(body.Probabilities.Values.Sum(), Is.EqualTo(1).Within(1e-4));
            var active = TestModels.ActiveManifest("body-part");
            Assert.That(body.Version, Is.EqualTo(active.Version));
            Assert.That(body.Sha256, Is.EqualTo(active.OnnxFile.Sha256));
            var malignancy = result.For("chest-malignancy");
            if (expected == "chest")
            {
                Assert.That(malignancy, Is.Not.Null, "the malignancy model runs on chest images");
                Assert.That(malignancy!.Probability, Is.InRange(0.0, 1.0));
                Assert.That(malignancy.Threshold, Is.EqualTo(0.5));
            }
            else
            {
                Assert.That(malignancy, Is.Null, "the malignancy model applies to chest images only");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
