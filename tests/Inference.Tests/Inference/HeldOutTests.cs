using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Training;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class HeldOutTests
{
    [Test]
    public void Committed_manifests_record_held_out_metrics_and_body_part_meets_its_target()
    {
        var body = TestModels.ActiveManifest("body-part");
        var malignancy = TestModels.ActiveManifest("chest-malignancy");
        Assert.That(body.Metrics["heldOutAccuracy"], Is.GreaterThanOrEqualTo(EvaluationReport.BodyPartTarget));
        Assert.That(malignancy.Metrics["heldOutPositives"], Is.GreaterThanOrEqualTo(50), "enough held-out lesion slices for the AUC to mean something");
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
    public void Chest_malignancy_meets_the_held_out_AUC_target()
    {
        var malignancy = TestModels.ActiveManifest("chest-malignancy");
        Assert.That(malignancy.Metrics["heldOutAuc"], Is.GreaterThanOrEqualTo(EvaluationReport.AucTarget));
        Assert.That(malignancy.Training!.HeldOutSeed, Is.Not.EqualTo(malignancy.Training.TrainSeed));
    }

    [Test]
    public void Active_heads_share_one_backbone_pass()
    {
        var body = TestModels.ActiveManifest("body-part");
        var malignancy = TestModels.ActiveManifest("chest-malignancy");
        Assert.That(malignancy.Preprocessing!.Tiles, Is.EqualTo(1));
        Assert.That(malignancy.Preprocessing.Key, Is.EqualTo(body.Preprocessing!.Key), "equal tensor keys: the classifier runs the backbone once for both");
        Assert.That(malignancy.Preprocessing.Features, Is.EqualTo(new[] { "lung-lesions/1" }));
        Assert.That(malignancy.Input.Shape, Is.EqualTo(new long[] { -1, 512 + 26 }));
    }

    [Test]
    public void A_small_held_out_subset_re_evaluated_through_the_full_path_agrees_with_the_manifest()
    {
        using var provider = new ActiveModelProvider(new ModelRegistry(TestModels.Root));
        using var lease = provider.Acquire();
        var samples = SyntheticDataset.Build(SyntheticDatasetOptions.HeldOutSmall);
        var report = Evaluation.Evaluate(lease.Models, samples);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, report.Describe()));
        Assert.That(report.BodyPartAccuracy, Is.GreaterThanOrEqualTo(EvaluationReport.BodyPartTarget), string.Join("; ", report.Describe()));
        Assert.That(report.MalignancyAuc, Is.GreaterThan(0.65), string.Join("; ", report.Describe()));
    }
}
