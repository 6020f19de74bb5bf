using EdgeCancer.Inference.Explain;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Inference.Training;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class HeatmapTests
{
    [Test]
    public void Occlusion_heatmap_has_the_image_size_and_highlights_the_lesion_more_than_background()
    {
        using var provider = new ActiveModelProvider(new ModelRegistry(TestModels.Root));
        using var lease = provider.Acquire();
        var model = lease.Models.Find("chest-malignancy")!;
        // The largest malignant-looking lesion of a patient from a seed used neither in training nor held-out.
        var phantom = SyntheticImages.Phantom(BodyRegionChoice.Chest, seed: 4242, lesions: LesionMode.Always);
        var lesion = phantom.Lesions.Where(l => l.MalignantLooking).MaxBy(l => l.DiameterMm)!;
        var g = phantom.Geometry;
        var image = SyntheticDataset.RenderSlice(phantom, g.Slice(lesion.Z));

        var map = OcclusionSensitivity.Compute(lease.Models, model, image, new OcclusionOptions(Patch: 64, Stride: 32));
        Assert.That((map.Rows, map.Columns), Is.EqualTo((512, 512)));
        Assert.That(map.Values, Has.Length.EqualTo(512 * 512));
        Assert.That(map.ToBytes(), Has.Length.EqualTo(512 * 512));
        Assert.That(map.Label, Is.EqualTo("suspected-malignancy"));

        int r = g.Row(lesion.Y), c = g.Column(lesion.X), half = (int)Math.Ceiling(lesion.DiameterMm / 2 / g.PixelSpacing) + 8;
        int mirrored = g.Column(-lesion.X); // the same place in the other lung
        double atLesion = map.MeanIn(r - half, c - half, r + half, c + half);
        double otherLung = map.MeanIn(r - half, mirrored - half, r + half, mirrored + half);
        double everywhere = map.MeanIn(0, 0, 512, 512);
        TestContext.Out.WriteLine($"p={map.BaseProbability:0.000} lesion {lesion.DiameterMm:0} mm at ({r},{c}): mean drop {atLesion:0.0000}; mirrored region {otherLung:0.0000}; whole image {everywhere:0.0000}");
        Assert.That(atLesion, Is.GreaterThan(otherLung), "hiding the lesion lowers the probability more than hiding the same region of the other lung");
        Assert.That(atLesion, Is.GreaterThan(everywhere), "and more than hiding the average region");
    }

    [Test]
    public void Heatmaps_are_cached_by_instance_and_model_version()
    {
        var cache = new HeatmapCache(capacity: 2);
        int computed = 0;
        Heatmap Make() { computed++; return new Heatmap("m", "1", "x", 0.9, 1, 1, [0f], 1, 1, [0f]); }
        var a = cache.GetOrCompute(new HeatmapKey("1.2.3", "m", "1", "abc"), Make);
        Assert.That(cache.GetOrCompute(new HeatmapKey("1.2.3", "m", "1", "abc"), Make), Is.SameAs(a));
        cache.GetOrCompute(new HeatmapKey("1.2.3", "m", "2", "def"), Make);
        Assert.That(computed, Is.EqualTo(2), "another model version is another heatmap");
        cache.GetOrCompute(new HeatmapKey("1.2.4", "m", "1", "abc"), Make);
        Assert.That(cache.Count, Is.EqualTo(2), "least recently used evicted");
    }
}
