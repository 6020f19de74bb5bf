using EdgeCancer.Dicom;
using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Inference.Training;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class PreprocessingTests
{
    /// <summary>PS3.3 C.11.2.1.2.1 linear window, written out here independently of the code under test.</summary>
    private static double Linear(double x, double c, double w)
    {
        if (x <= c - 0.5 - (w - 1) / 2) return 0;
        if (x > c - 0.5 + (w - 1) / 2) return 255;
        return ((x - (c - 0.5)) / (w - 1) + 0.5) * 255;
    }

    [Test]
    public void Stored_values_become_HU_through_the_rescale_intercept()
    {
        var phantom = SyntheticImages.Phantom(BodyRegionChoice.Chest, intercept: -1024);
        var file = SyntheticImages.Slice(phantom, 30);
        Assert.That(file.Dataset.GetValues<double>(DicomTags.RescaleIntercept)[0], Is.EqualTo(-1024));
        var decoded = new CtImageDecoder().Decode(file, PreprocessingSpec.ResNet18Ct);
        Assert.That(decoded.NotAnalysedReason, Is.Null);
        // What the writer stored (round(HU − intercept)) plus the intercept is the HU the decoder must give back.
        var stored = new short[512 * 512];
        phantom.RenderStoredSlice(30, stored, new float[512 * 512]);
        Assert.That(decoded.Image!.Rows, Is.EqualTo(512));
        Assert.That(decoded.Image.Values, Is.EqualTo(stored.Select(v => v - 1024f).ToArray()), "HU = stored + intercept");
        var phantomHu = SyntheticDataset.RenderSlice(phantom, 30);
        Assert.That(decoded.Image.Values.Zip(phantomHu.Values).Max(p => Math.Abs(p.First - p.Second)), Is.LessThanOrEqualTo(1f), "within rounding of the phantom's HU");
        Assert.That(decoded.Image[0, 0], Is.EqualTo(-1000).Within(60), "air in the corner");
    }

    [TestCase(-1000f)]
    [TestCase(-600f)]
    [TestCase(50f)]
    [TestCase(300f)]
    [TestCase(1500f)]
    public void A_uniform_image_becomes_three_windows_in_BGR_minus_the_ImageNet_mean(float hu)
    {
        var image = new HuImage(64, 64, Enumerable.Repeat(hu, 64 * 64).ToArray());
        var tensor = ImageTensor.FromHu(image, PreprocessingSpec.ResNet18Ct);
        Assert.That(tensor, Has.Length.EqualTo(3 * 224 * 224));
        int plane = 224 * 224;
        // Plane 0 is blue (bone window), 1 green (mediastinum), 2 red (lung); means B 103.06, G 115.90, R 123.15.
        Assert.That(tensor[0 * plane + 1000], Is.EqualTo(Linear(hu, 480, 2500) - 103.06).Within(1e-3), "bone window, blue plane");
        Assert.That(tensor[1 * plane + 5000], Is.EqualTo(Linear(hu, 50, 350) - 115.90).Within(1e-3), "mediastinum window, green plane");
        Assert.That(tensor[2 * plane + 50000], Is.EqualTo(Linear(hu, -600, 1500) - 123.15).Within(1e-3), "lung window, red plane");
    }

    [Test]
    public void Window_values_at_known_HU()
    {
        Assert.That(Linear(-600, -600, 1500), Is.EqualTo(127.585).Within(1e-3));
        var image = new HuImage(2, 2, [-1350, -600, 50, 150]);
        var channels = ImageTensor.Window(image, PreprocessingSpec.ResNet18Ct);
        Assert.That(channels[0], Is.EqualTo(new[] { 0f, 127.585f, 238.159f, 255f }).Within(1e-3), "lung −600/1500");
        Assert.That(channels[1], Is.EqualTo(new[] { 0f, 0f, 127.865f, 200.931f }).Within(1e-3), "mediastinum 50/350");
    }

    [Test]
    public void Bilinear_resize_keeps_a_horizontal_ramp_linear()
    {
        var source = new float[4 * 8];
        for (int r = 0; r < 4; r++) for (int c = 0; c < 8; c++) source[r * 8 + c] = c * 10;
        var destination = new float[2 * 4];
        Resize.Bilinear(source, 4, 8, destination, 2, 4);
        // Destination column c samples source x = (c + 0.5) × 2 − 0.5 = 0.5, 2.5, 4.5, 6.5.
        Assert.That(destination[..4], Is.EqualTo(new[] { 5f, 25f, 45f, 65f }));
    }
}
