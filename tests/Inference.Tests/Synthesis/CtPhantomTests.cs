using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Tests.Synthesis;

[Category("Synthesis")]
public sealed class CtPhantomTests
{
    private static float[] Render(CtPhantom phantom, int slice)
    {
        var hu = new float[phantom.Geometry.Rows * phantom.Geometry.Columns];
        phantom.RenderSlice(slice, hu);
        return hu;
    }

    /// <summary>Median of the (2k+1)² patch around the pixel nearest (x, y): robust to a vessel crossing the patch.</summary>
    private static float PatchMedian(CtPhantom phantom, float[] hu, double x, double y, int k = 4)
    {
        var g = phantom.Geometry;
        int r0 = g.Row(y), c0 = g.Column(x);
        var values = new List<float>();
        for (int r = r0 - k; r <= r0 + k; r++)
            for (int c = c0 - k; c <= c0 + k; c++) values.Add(hu[r * g.Columns + c]);
        values.Sort();
        return values[values.Count / 2];
    }

    private static float PatchMean(CtPhantom phantom, float[] hu, double x, double y, int k = 1)
    {
        var g = phantom.Geometry;
        int r0 = g.Row(y), c0 = g.Column(x);
        double sum = 0; int n = 0;
        for (int r = r0 - k; r <= r0 + k; r++)
            for (int c = c0 - k; c <= c0 + k; c++) { sum += hu[r * g.Columns + c]; n++; }
        return (float)(sum / n);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(99)]
    public void Upper_chest_slice_has_air_outside_lungs_near_minus_850_and_bone_in_the_midline(long seed)
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = seed, Slices = 64, Lesions = LesionMode.None }, 0);
        int slice = phantom.Geometry.Slice(-96); // 30 % down the 320 mm chest: above the heart, below the apices
        Assert.That(slice, Is.GreaterThanOrEqualTo(0));
        var hu = Render(phantom, slice);
        Assert.Multiple(() =>
        {
            foreach (var (x, y) in new[] { (-165.0, -165.0), (165.0, -165.0), (-165.0, 165.0), (0.0, -150.0) })
                Assert.That(PatchMedian(phantom, hu, x, y), Is.InRange(-1024f, -985f), $"air at ({x}, {y})");
            Assert.That(PatchMedian(phantom, hu, -55, -10), Is.InRange(-910f, -790f), "right lung");
            Assert.That(PatchMedian(phantom, hu, 55, -10), Is.InRange(-910f, -790f), "left lung");
            // Midline profile: the spinous process (900 HU) gives at least 8 mm above 700 HU behind the canal.
            var g = phantom.Geometry;
            int longest = 0, run = 0;
            for (double y = 20; y < 130; y += g.PixelSpacing)
            {
                run = PatchMedian(phantom, hu, 0, y, 1) > 700 ? run + 1 : 0;
                longest = Math.Max(longest, run);
            }
            Assert.That(longest * g.PixelSpacing, Is.GreaterThanOrEqualTo(8), "bone along the posterior midline");
        });
    }

    [Test]
    public void Head_slice_has_brain_near_35_inside_a_skull_above_900()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 5, Slices = 40, Body = BodyRegionChoice.Head }, 0);
        int slice = phantom.Geometry.Slice(230 - 0.35 * 200);
        var hu = Render(phantom, slice);
        float max = -2000;
        for (double x = 0; x < 110; x += phantom.Geometry.PixelSpacing) max = Math.Max(max, PatchMedian(phantom, hu, x, 0, 1));
        Assert.Multiple(() =>
        {
            Assert.That(PatchMedian(phantom, hu, 35, 30), Is.InRange(15f, 50f), "brain parenchyma");
            Assert.That(max, Is.GreaterThan(900), "skull on the ray to the left");
            Assert.That(phantom.Lesions, Is.Empty, "head phantoms carry no lesions");
        });
    }

    [Test]
    public void Organs_change_size_from_slice_to_slice()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 3, Slices = 32, Noise = 0, Lesions = LesionMode.None }, 0);
        var g = phantom.Geometry;
        int LungPixels(int slice) => Render(phantom, slice).Count(v => v is < -700 and > -950);
        int top = LungPixels(1), middle = LungPixels(g.Slices / 2), bottom = LungPixels(g.Slices - 1);
        Assert.Multiple(() =>
        {
            Assert.That(middle, Is.GreaterThan(top * 1.5), "lungs widen from the apex");
            Assert.That(middle, Is.GreaterThan(bottom * 1.5), "lungs end at the diaphragm");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public void Chest_lesions_are_inside_a_lung_and_show_their_density_at_their_centre(long seed)
    {
        var options = new CtPhantomOptions { Seed = seed, Slices = 320, SliceThickness = 1, Lesions = LesionMode.Always };
        var phantom = new CtPhantom(options, 0);
        var g = phantom.Geometry;
        Assert.That(phantom.Lesions, Is.Not.Empty);
        Assert.That(phantom.IsMalignant, Is.True, "--lesions always gives a malignant-looking lesion");
        int measured = 0;
        Assert.Multiple(() =>
        {
            foreach (var lesion in phantom.Lesions)
            {
                Assert.That(lesion.Organ, Is.AnyOf("right-lung", "left-lung"));
                Assert.That(lesion.DiameterMm, Is.InRange(3.0, 40.0));
                int slice = g.Slice(lesion.Z);
                double sectionRadius = lesion.SectionDiameterAt(g.Z(slice)) / 2;
                if (sectionRadius < 3 * g.PixelSpacing) continue; // too small for a 3×3 patch
                float mean = PatchMean(phantom, Render(phantom, slice), lesion.X, lesion.Y);
                double tolerance = 4 * phantom.NoiseSigma / 3 + 3;
                Assert.That(mean, Is.EqualTo(lesion.CenterHu).Within(tolerance), $"lesion {lesion.Id} ({lesion.Density}, {lesion.DiameterMm} mm) at slice {slice}");
                measured++;
            }
        });
        Assert.That(measured, Is.GreaterThan(0), "no lesion was large enough to measure");
    }

    [Test]
    public void Every_slice_labelled_with_a_lesion_shows_it_and_healthy_controls_have_no_lesion_labels()
    {
        var options = new CtPhantomOptions { Patients = 12, Seed = 8, Slices = 96, Noise = 0, Body = BodyRegionChoice.Mixed };
        int lesionSlices = 0, healthy = 0;
        for (int p = 0; p < options.Patients; p++)
        {
            var phantom = new CtPhantom(options, p);
            var labels = CtSeriesWriter.CreateLabels(phantom, PhantomIdentity.For(phantom));
            if (phantom.Lesions.Count == 0)
            {
                healthy++;
                Assert.That(labels.Slices.Any(s => s.LesionPresent), Is.False);
                Assert.That(labels.Malignant, Is.False);
                continue;
            }
            var g = phantom.Geometry;
            foreach (var slice in labels.Slices.Where(s => s.LesionPresent))
            {
                int index = slice.InstanceNumber - 1;
                var hu = Render(phantom, index);
                foreach (int id in slice.LesionIds)
                {
                    var lesion = phantom.Lesions.Single(l => l.Id == id);
                    float value = hu[g.Row(lesion.Y) * g.Columns + g.Column(lesion.X)];
                    if (lesion.SectionDiameterAt(g.Z(index)) < 2 * g.PixelSpacing) continue;
                    Assert.That(value, Is.EqualTo(lesion.Hu).Or.EqualTo(lesion.CenterHu), $"patient {p} slice {slice.InstanceNumber} lesion {id}");
                    lesionSlices++;
                }
            }
            Assert.That(labels.Malignant, Is.EqualTo(phantom.Lesions.Any(l => l.MalignantLooking)));
        }
        Assert.That(lesionSlices, Is.GreaterThan(0), "the run must contain lesions for the test to mean anything");
        Assert.That(healthy, Is.GreaterThan(0), "the run must contain healthy controls");
    }

    [Test]
    public void Liver_lesions_of_abdomen_phantoms_lie_in_the_liver_and_head_phantoms_have_none()
    {
        var options = new CtPhantomOptions { Patients = 6, Seed = 21, Slices = 60, Body = BodyRegionChoice.Abdomen, Lesions = LesionMode.Always, Noise = 0 };
        for (int p = 0; p < options.Patients; p++)
        {
            var phantom = new CtPhantom(options, p);
            Assert.That(phantom.Lesions, Is.Not.Empty);
            foreach (var lesion in phantom.Lesions)
            {
                Assert.That(lesion.Organ, Is.EqualTo("liver"));
                Assert.That(lesion.Density, lesion.MalignantLooking ? Is.EqualTo(LesionDensity.Hypodense) : Is.EqualTo(LesionDensity.Cystic));
            }
        }
    }

    [Test]
    public void Auto_mode_mixes_healthy_benign_and_malignant_patients_in_roughly_the_documented_shares()
    {
        var options = new CtPhantomOptions { Patients = 300, Seed = 1, Slices = 8, Body = BodyRegionChoice.Chest };
        int healthy = 0, benign = 0, malignant = 0;
        for (int p = 0; p < options.Patients; p++)
        {
            var phantom = new CtPhantom(options, p);
            if (phantom.Lesions.Count == 0) healthy++;
            else if (phantom.IsMalignant) malignant++;
            else benign++;
        }
        Assert.Multiple(() =>
        {
            Assert.That(healthy, Is.InRange(90, 150), "≈ 40 % healthy");
            Assert.That(benign, Is.InRange(35, 85), "≈ 20 % benign only");
            Assert.That(malignant, Is.InRange(90, 150), "≈ 40 % malignant-looking");
        });
    }

    [Test]
    public void Noise_standard_deviation_in_air_matches_the_reported_sigma()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 12, Slices = 64, Noise = 1 }, 0);
        var hu = Render(phantom, 10);
        // A corner block of air: −1000 plus noise (the −1024 clamp is more than 1.7σ away for σ ≤ 14).
        var values = new List<double>();
        for (int r = 0; r < 60; r++) for (int c = 0; c < 60; c++) values.Add(hu[r * phantom.Geometry.Columns + c]);
        double mean = values.Average(), sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.That(phantom.NoiseSigma, Is.GreaterThan(3));
        Assert.That(mean, Is.EqualTo(-1000).Within(1.5));
        Assert.That(sd, Is.EqualTo(phantom.NoiseSigma).Within(phantom.NoiseSigma * 0.06));
    }
}
