using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Inference.Training;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class LungLesionDescriptorsTests
{
    private static int Index(string name) => LungLesionDescriptors.Names.ToList().IndexOf(name);

    /// <summary>
    /// 256 × 256 at <paramref name="spacing"/> mm: air, a 40 HU body ellipse, two −850 HU lungs, and optionally a disc
    /// of <paramref name="discHu"/> (radius in mm) centred <paramref name="discX"/> mm right of the midline.
    /// </summary>
    private static HuImage Chest(double? discRadius = null, float discHu = 40, double discX = 60, double spacing = 1)
    {
        const int n = 256;
        var hu = new float[n * n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                double x = (c - n / 2 + 0.5) * spacing, y = (r - n / 2 + 0.5) * spacing;
                float v = -1000;
                if (x * x / (110.0 * 110) + y * y / (90.0 * 90) <= 1) v = 40;
                foreach (int side in (ReadOnlySpan<int>)[-1, 1])
                    if ((x - side * 50) * (x - side * 50) / (35.0 * 35) + y * y / (60.0 * 60) <= 1) v = -850;
                if (discRadius is { } d && (x - discX) * (x - discX) + y * y <= d * d) v = discHu;
                hu[r * n + c] = v;
            }
        return new HuImage(n, n, hu) { PixelSpacingMm = spacing };
    }

    [Test]
    public void Lungs_without_spots_give_no_candidates_and_no_spots()
    {
        var d = LungLesionDescriptors.Compute(Chest());
        Assert.That(d, Has.Length.EqualTo(LungLesionDescriptors.Length));
        // The 3 × 3 mean turns the lungs' outermost pixel ring dense: about 3 % less area than the ellipses.
        Assert.That(d[Index("insideAirAreaLogCm2")], Is.EqualTo(Math.Log(1 + 2 * Math.PI * 35 * 60 / 100.0)).Within(0.05), "two 35 × 60 mm half-axis lungs");
        Assert.That(d[Index("candidates")], Is.Zero);
        Assert.That(d[Index("blobs")], Is.Zero);
        Assert.That(d[Index("blobRadiusMm")], Is.Zero);
    }

    [Test]
    public void A_solid_nodule_inside_a_lung_is_measured_in_mm()
    {
        var d = LungLesionDescriptors.Compute(Chest(discRadius: 8));
        Assert.That(d[Index("candidates")], Is.EqualTo(1));
        // The 3 × 3 mean widens a 40 HU spot in −850 HU lung by up to one pixel on each side before thresholding.
        Assert.That(d[Index("topMinorAxisMm")], Is.InRange(16.0, 18.5), "a 16 mm disc's moment ellipse");
        Assert.That(d[Index("topElongation")], Is.EqualTo(1).Within(0.05));
        Assert.That(d[Index("topCompactness")], Is.GreaterThan(0.85));
        Assert.That(d[Index("topAreaLogMm2")], Is.InRange(Math.Log(1 + Math.PI * 64), Math.Log(1 + Math.PI * 81)));
        Assert.That(d[Index("blobs")], Is.EqualTo(1));
        Assert.That(d[Index("blobRadiusMm")], Is.InRange(8.0, 9.5), "distance from the centre to the nearest air (edge widened by the mean)");
        Assert.That(d[Index("blobLungFraction")], Is.GreaterThanOrEqualTo(0.9), "the circle 1.5 px beyond it is lung (a sample or two may graze the widened edge)");
        // The disc reaches the nearest air, so its rim holds lung pixels: far denser than lung (−850), below the 40 HU core.
        Assert.That(d[Index("blobMeanHu100")], Is.InRange(-2.0, 0.4));
        Assert.That(d[Index("blobSolidFraction")], Is.GreaterThan(0.7));
        // The midline is the mean column of the lungs' air, which the nodule itself shifts by a little over a millimetre.
        Assert.That(d[Index("blobMidlineDistanceMm")], Is.EqualTo(60).Within(2.5));
        Assert.That(d[Index("peripheralBlobRadiusMm")], Is.EqualTo(d[Index("blobRadiusMm")]), "60 mm from the midline is beyond the hila");
    }

    [Test]
    public void A_ground_glass_nodule_counts_as_ground_glass()
    {
        var d = LungLesionDescriptors.Compute(Chest(discRadius: 8, discHu: -520));
        Assert.That(d[Index("blobRadiusMm")], Is.InRange(7.0, 9.5));
        Assert.That(d[Index("blobGroundGlassFraction")], Is.GreaterThan(0.9));
        Assert.That(d[Index("blobMeanHu100")], Is.InRange(-6.5, -5.19));
    }

    [Test]
    public void A_nodule_against_the_chest_wall_is_a_spot_but_not_an_enclosed_region()
    {
        // Lung spans x 15…85 mm; a 10 mm disc at x 80 overlaps the wall.
        var d = LungLesionDescriptors.Compute(Chest(discRadius: 10, discX: 80));
        Assert.That(d[Index("candidates")], Is.Zero, "it touches the body wall, so it is no enclosed region");
        Assert.That(d[Index("blobs")], Is.GreaterThanOrEqualTo(1));
        Assert.That(d[Index("blobLungFraction")], Is.InRange(LungLesionDescriptors.MinLungFraction, 0.99));
        Assert.That(d[Index("blobRadiusMm")], Is.GreaterThan(6));
    }

    [Test]
    public void Sizes_follow_the_pixel_spacing()
    {
        var d1 = LungLesionDescriptors.Compute(Chest(discRadius: 8));
        var half = Chest(discRadius: 8) with { PixelSpacingMm = 2 };
        var d2 = LungLesionDescriptors.Compute(half);
        Assert.That(d2[Index("blobRadiusMm")], Is.EqualTo(2 * d1[Index("blobRadiusMm")]).Within(1e-4));
        Assert.That(d2[Index("topMinorAxisMm")], Is.EqualTo(2 * d1[Index("topMinorAxisMm")]).Within(1e-3));
    }

    [Test]
    public void A_phantom_slice_through_a_malignant_lesion_shows_a_spot_of_about_its_size()
    {
        var phantom = SyntheticImages.Phantom(BodyRegionChoice.Chest, seed: 4242, lesions: LesionMode.Always);
        var lesion = phantom.Lesions.Where(l => l.MalignantLooking).MaxBy(l => l.DiameterMm)!;
        var g = phantom.Geometry;
        int slice = g.Slice(lesion.Z);
        var image = SyntheticDataset.RenderSlice(phantom, slice) with { PixelSpacingMm = g.PixelSpacing };
        var d = LungLesionDescriptors.Compute(image);
        double section = lesion.SectionDiameterAt(g.Z(slice));
        TestContext.Out.WriteLine($"{lesion.Kind} {lesion.Density} {lesion.DiameterMm} mm, section {section:0.0} mm: spot radius {d[Index("blobRadiusMm")]:0.0} mm, lung share {d[Index("blobLungFraction")]:0.00}");
        Assert.That(d[Index("blobRadiusMm")], Is.GreaterThanOrEqualTo(section / 2 * 0.6), "the largest spot is at least most of the lesion's section");
    }

    [Test]
    public void The_fused_tensor_path_gives_the_same_floats_as_window_then_resize()
    {
        var image = SyntheticDataset.RenderSlice(SyntheticImages.Phantom(BodyRegionChoice.Chest, seed: 4242, lesions: LesionMode.Always), 30);
        var expected = ImageTensor.FromHu(image, PreprocessingSpec.ResNet18Ct);
        var actual = new float[expected.Length];
        ImageTensor.FromHuInto(image, PreprocessingSpec.ResNet18Ct, actual);
        Assert.That(actual, Is.EqualTo(expected), "bit for bit: features cached by the old path stay valid");
    }
}
