using EdgeCancer.Dicom.Imaging;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>Golden values worked by hand from the equations of PS3.3 C.11.2.1.2.1 and C.11.2.1.3 (ymin 0, ymax 255).</summary>
[Category("Imaging")]
public class VoiWindowTests
{
    // LINEAR, c = 40, w = 400: bottom threshold c − 0.5 − (w−1)/2 = −160, top c − 0.5 + (w−1)/2 = 239;
    // between: ((x − 39.5) / 399 + 0.5) × 255.
    [TestCase(-1000.0, 0.0)]
    [TestCase(-160.0, 0.0)]                 // x ≤ −160 → ymin
    [TestCase(-159.5, 0.31954887218045)]    // (−199/399 + 0.5) × 255
    [TestCase(40.0, 127.81954887218045)]    // (0.5/399 + 0.5) × 255
    [TestCase(238.5, 254.68045112781954)]   // (199/399 + 0.5) × 255
    [TestCase(239.0, 255.0)]                // (199.5/399 + 0.5) × 255, still the middle branch
    [TestCase(240.0, 255.0)]                // x > 239 → ymax
    public void Linear_window_follows_the_standard_formula(double x, double expected)
    {
        var w = new VoiWindow(40, 400);
        Assert.That(w.Apply(x), Is.EqualTo(expected).Within(1e-9));
    }

    // LINEAR_EXACT, c = 40, w = 400: ymin for x ≤ −160, ymax for x > 240, else ((x − 40)/400 + 0.5) × 255.
    [TestCase(-160.0, 0.0)]
    [TestCase(-159.0, 0.6375)]
    [TestCase(40.0, 127.5)]
    [TestCase(140.0, 191.25)]
    [TestCase(240.0, 255.0)]
    [TestCase(240.5, 255.0)]
    public void Linear_exact_window_follows_the_standard_formula(double x, double expected)
    {
        var w = new VoiWindow(40, 400, VoiLutFunction.LinearExact);
        Assert.That(w.Apply(x), Is.EqualTo(expected).Within(1e-9));
    }

    // SIGMOID: 255 / (1 + exp(−4 (x − c) / w)).
    [TestCase(40.0, 127.5)]                  // at the center: half of 255
    [TestCase(140.0, 186.41993755065124)]    // 255 / (1 + e^−1)
    [TestCase(-60.0, 68.58006244934876)]     // 255 / (1 + e^1)
    public void Sigmoid_window_follows_the_standard_formula(double x, double expected)
    {
        var w = new VoiWindow(40, 400, VoiLutFunction.Sigmoid);
        Assert.That(w.Apply(x), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void Linear_window_of_width_one_is_a_threshold_at_center_minus_half()
    {
        var w = new VoiWindow(100, 1);
        Assert.That(w.Apply(99.5), Is.EqualTo(0));
        Assert.That(w.Apply(99.6), Is.EqualTo(255));
    }

    [Test]
    public void Rejects_widths_the_standard_does_not_allow()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiWindow(0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiWindow(0, 0, VoiLutFunction.Sigmoid));
        Assert.DoesNotThrow(() => new VoiWindow(0, 0.5, VoiLutFunction.LinearExact));
    }

    [Test]
    public void Reads_multiple_presets_with_their_explanations_and_function()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.WindowCenter, "40", "-600");
        ds.AddOrUpdate(DicomTags.WindowWidth, "400", "1500");
        ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, "MEDIASTINUM", "LUNG");
        ds.AddOrUpdate(DicomTags.VOILUTFunction, "SIGMOID");
        var presets = VoiWindow.FromDataset(ds);
        Assert.That(presets, Has.Count.EqualTo(2));
        Assert.That(presets[1], Is.EqualTo(new VoiWindow(-600, 1500, VoiLutFunction.Sigmoid, "LUNG")));
        Assert.That(presets[0].Explanation, Is.EqualTo("MEDIASTINUM"));
    }

    [Test]
    public void Mismatched_center_and_width_counts_name_both_attributes()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.WindowCenter, "40", "-600");
        ds.AddOrUpdate(DicomTags.WindowWidth, "400");
        var ex = Assert.Throws<DicomDataException>(() => VoiWindow.FromDataset(ds));
        Assert.That(ex!.Message, Does.Contain("Window Center (0028,1050)").And.Contain("Window Width (0028,1051)"));
    }

    [Test]
    public void No_window_attributes_give_no_presets() => Assert.That(VoiWindow.FromDataset(new DicomDataset()), Is.Empty);
}
