using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Training;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class HeldOutTests
{
    [Test]
    public void Committed_manifests_record_held_out_metrics_that_meet_the_targets()
    {
        var body = ModelManifest.Load(Path.Combine(TestModels.Root, "body-part", "1", "model.json"));
        var malignancy = ModelManifest.Load(Path.Combine(TestModels.Root, "chest-malignancy", "1", "model.json"));
        Assert.That(body.Metrics["heldOutAccuracy"], Is.GreaterThanOrEqualTo(EvaluationReport.BodyPartTarget));
        Assert.That(malignancy.Metrics["heldOutAuc"], Is.GreaterThanOrEqualTo(EvaluationReport.AucTarget));
        Assert.That(body.Training!.HeldOutSeed, Is.Not.EqualTo(body.Training.TrainSeed));
        string card = File.ReadAllText(Path.Combine(TestModels.Root, "chest-malignancy", "README.md"));
        Assert.That(card, Does.Contain("Not for clinical use").And.Contain($"heldOutAuc: {malignancy.Metrics["heldOutAuc"]:0.000}"));
    }

    [Test]
    public void Held_out_and_training_patients_never_overlap()
    {
        var train = SyntheticDataset.Build(SyntheticDatasetOptions.Train).Select(s => s.Id).ToHashSet();
        var heldOut = SyntheticDataset.Build(SyntheticDatasetOptions.HeldOut).Select(s => s.Id).ToList();
        Assert.That(heldOut.Where(train.Contains), Is.Empty);
    }

    [Test]
    public void A_small_held_out_subset_re_evaluated_through_the_full_path_meets_the_targets()
    {
        using var provider = new ActiveModelProvider(new ModelRegistry(TestModels.Root));
        using var lease = provider.Acquire();
        var samples = SyntheticDataset.Build(SyntheticDatasetOptions.HeldOutSmall);
        var report = Evaluation.Evaluate(lease.Models, samples);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, report.Describe()));
        Assert.That(report.BodyPartAccuracy, Is.GreaterThanOrEqualTo(EvaluationReport.BodyPartTarget), string.Join("; ", report.Describe()));
        Assert.That(report.MalignancyAuc, Is.GreaterThanOrEqualTo(EvaluationReport.AucTarget), string.Join("; ", report.Describe()));
    }
}
