using EdgeCancer.Inference.Models;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class ModelRegistryTests
{
    private string _root = "";

    [SetUp]
    public void Copy() => _root = TestModels.CopyToTemp();

    [TearDown]
    public void Delete() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Committed_models_verify_and_have_active_versions()
    {
        var registry = new ModelRegistry(TestModels.Root);
        foreach (var name in new[] { "body-part", "chest-malignancy", "resnet18-imagenet" })
        {
            string? active = registry.GetActiveVersion(name);
            Assert.That(active, Is.Not.Null, name);
            var check = registry.Verify(name, active!);
            Assert.That(check.Problems, Is.Empty, check.ToString());
        }
    }

    [Test]
    public void Refuses_a_model_file_whose_hash_does_not_match_and_names_the_file()
    {
        string onnx = Path.Combine(_root, "body-part", "1", "model.onnx");
        var bytes = File.ReadAllBytes(onnx);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(onnx, bytes);

        var registry = new ModelRegistry(_root);
        var check = registry.Verify("body-part", "1");
        Assert.That(check.IsValid, Is.False);
        Assert.That(check.Problems, Has.Some.Contains("file model.onnx").And.Contains("sha256").And.Contains("corrupt or was replaced"));
        var ex = Assert.Throws<ModelRejectedException>(() => registry.Load("body-part", "1"));
        Assert.That(ex!.Message, Does.Contain("body-part 1: refused").And.Contains("model.onnx"));
    }

    [Test]
    public void Refuses_a_backbone_manifest_that_lies_about_the_input_size()
    {
        string path = Path.Combine(_root, "resnet18-imagenet", "1", ModelManifest.FileName);
        var manifest = ModelManifest.Load(path);
        (manifest with { Input = manifest.Input with { Shape = [1, 3, 256, 256] } }).Save(path);

        var check = new ModelRegistry(_root).Verify("resnet18-imagenet", "1");
        Assert.That(check.Problems, Has.Some.EqualTo("input \"Input247\": the ONNX model expects shape [1,3,224,224] but the manifest says [1,3,256,256]"));
        // A head on that backbone is refused too, and says why.
        var head = new ModelRegistry(_root).Verify("chest-malignancy", "1");
        Assert.That(head.Problems, Has.Some.StartsWith("backbone resnet18-imagenet 1 is not usable").And.Contains("[1,3,256,256]"));
    }

    [Test]
    public void Refuses_a_head_manifest_that_lies_about_the_feature_length()
    {
        string path = Path.Combine(_root, "chest-malignancy", "1", ModelManifest.FileName);
        var manifest = ModelManifest.Load(path);
        (manifest with { Input = manifest.Input with { Shape = [-1, 256] } }).Save(path);

        var check = new ModelRegistry(_root).Verify("chest-malignancy", "1");
        Assert.That(check.Problems, Has.Some.EqualTo("input \"Features\": the ONNX model expects shape [-1,512] but the manifest says [-1,256]"));
        Assert.That(check.Problems, Has.Some.EqualTo("input \"Features\" takes 256 features but backbone resnet18-imagenet gives 512"));
    }

    [Test]
    public void Refuses_a_head_whose_input_does_not_fit_its_declared_feature_sets_and_says_how_many_values_they_add()
    {
        string path = Path.Combine(_root, "chest-malignancy", "2", ModelManifest.FileName);
        var manifest = ModelManifest.Load(path);
        (manifest with { Preprocessing = manifest.Preprocessing! with { Features = null } }).Save(path);

        var check = new ModelRegistry(_root).Verify("chest-malignancy", "2");
        Assert.That(check.Problems, Has.Some.EqualTo("input \"Features\" takes 538 features but backbone resnet18-imagenet gives 512"));
    }

    [Test]
    public void Refuses_an_unknown_feature_set_and_names_the_known_ones()
    {
        string path = Path.Combine(_root, "chest-malignancy", "2", ModelManifest.FileName);
        var manifest = ModelManifest.Load(path);
        (manifest with { Preprocessing = manifest.Preprocessing! with { Features = ["lung-lesions/1", "texture/3"] } }).Save(path);

        var check = new ModelRegistry(_root).Verify("chest-malignancy", "2");
        Assert.That(check.Problems, Has.Some.EqualTo($"{path}: preprocessing.features names an unknown feature set \"texture/3\" (known: lung-lesions/1)."));
    }

    [Test]
    public void Activation_of_a_refused_version_keeps_the_previous_active_version()
    {
        var registry = new ModelRegistry(_root);
        string active = registry.GetActiveVersion("body-part")!;
        TestModels.CopyVersion(_root, "body-part", active, "9");
        File.WriteAllBytes(Path.Combine(_root, "body-part", "9", "model.onnx"), [1, 2, 3]);
        var check = registry.Activate("body-part", "9");
        Assert.That(check.IsValid, Is.False);
        Assert.That(registry.GetActiveVersion("body-part"), Is.EqualTo(active));
    }

    [Test]
    public void Hot_reload_swaps_models_for_new_work_and_lets_work_in_flight_finish_on_its_own_session()
    {
        var registry = new ModelRegistry(_root);
        string active = registry.GetActiveVersion("body-part")!;
        TestModels.CopyVersion(_root, "body-part", active, "9");
        using var provider = new ActiveModelProvider(registry);
        var inFlight = provider.Acquire();
        Assert.That(inFlight.Models.Find("body-part")!.Version, Is.EqualTo(active));

        Assert.That(registry.Activate("body-part", "9").IsValid, Is.True);
        Assert.That(provider.RefreshAsync().GetAwaiter().GetResult(), Is.True);
        using (var fresh = provider.Acquire())
            Assert.That(fresh.Models.Find("body-part")!.Version, Is.EqualTo("9"));

        // The old set is still open for the work that leased it, and runs.
        var old = inFlight.Models;
        Assert.That(old.IsDisposed, Is.False);
        var head = old.Find("body-part")!;
        var output = EdgeCancer.Inference.Onnx.OnnxRunner.Run(head.Session, head.Manifest.Input.Name, new float[512], [1, 512], head.Manifest.Output.Name);
        Assert.That(output.Sum(), Is.EqualTo(1).Within(1e-4), "class probabilities of the old session");
        inFlight.Dispose();
        Assert.That(old.IsDisposed, Is.True, "the last lease closes the replaced set");
        Assert.That(provider.RefreshAsync().GetAwaiter().GetResult(), Is.False, "nothing changed since");
    }
}
