using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Training;

/// <summary>Size of a synthetic data set.</summary>
/// <param name="Seed">Phantom seed: a training set and a held-out set use different seeds, so no patient is in both.</param>
/// <param name="PatientsPerRegion">Chest, head and abdomen patients each (chest patients always have a malignant-looking lesion; half the abdomen patients have lesions).</param>
/// <param name="SlicesPerPatient">Body-part slices drawn per patient.</param>
/// <param name="OtherImages">"other" images (QA phantom, thighs, empty field).</param>
/// <param name="HealthyChestPatients">Extra chest patients without lesions (healthy controls for the malignancy model).</param>
/// <param name="ChestLesionPatients">Chest patients with at least one malignant-looking lesion (null: <paramref name="PatientsPerRegion"/>).</param>
/// <param name="Matrix">Rows and columns of each rendered image (512 like the CT scans analysed).</param>
public sealed record SyntheticDatasetOptions(long Seed, int PatientsPerRegion, int SlicesPerPatient, int OtherImages, int HealthyChestPatients, int? ChestLesionPatients = null, int Matrix = 512)
{
    /// <summary>The training set of the shipped models.</summary>
    public static SyntheticDatasetOptions Train { get; } = new(1001, 16, 6, 96, 8, ChestLesionPatients: 48);

    /// <summary>The held-out set of the shipped models (another seed: never seen in training).</summary>
    public static SyntheticDatasetOptions HeldOut { get; } = new(2002, 8, 6, 48, 4, ChestLesionPatients: 16);

    /// <summary>A quick held-out subset for tests.</summary>
    public static SyntheticDatasetOptions HeldOutSmall { get; } = new(2002, 3, 3, 9, 1, ChestLesionPatients: 4);
}

/// <summary>
/// Labelled images from the phantom generator: series of 64 slices per patient (the geometry `edgecancer synth`
/// writes), of which a few slices are drawn per patient for the body-part model, and, on chest patients, every
/// slice through the centre of a malignant-looking lesion plus as many lesion-free slices for the malignancy model.
/// </summary>
public static class SyntheticDataset
{
    /// <summary>A malignant lesion counts as visible on a slice when its section is at least this wide (mm).</summary>
    public const double VisibleSectionMm = 6.0;

    /// <summary>Slices per synthetic series.</summary>
    public const int SeriesSlices = 64;

    /// <summary>Builds the sample list (nothing is rendered yet).</summary>
    public static IReadOnlyList<TrainingSample> Build(SyntheticDatasetOptions o)
    {
        var samples = new List<TrainingSample>();
        var regions = new (BodyRegionChoice Choice, string Label, LesionMode Lesions, int Patients)[]
        {
            (BodyRegionChoice.Chest, "chest", LesionMode.Always, o.ChestLesionPatients ?? o.PatientsPerRegion),
            (BodyRegionChoice.Chest, "chest", LesionMode.None, o.HealthyChestPatients),
            (BodyRegionChoice.Head, "head", LesionMode.None, o.PatientsPerRegion),
            (BodyRegionChoice.Abdomen, "abdomen", LesionMode.Auto, o.PatientsPerRegion),
        };
        foreach (var (choice, label, lesions, patients) in regions)
        {
            // Distinct seeds per group keep the groups' patients distinct; all derive from the data set's seed.
            long seed = o.Seed * 10 + (int)choice + (lesions == LesionMode.None && choice == BodyRegionChoice.Chest ? 5 : 0);
            var options = new CtPhantomOptions { Seed = seed, Patients = patients, Slices = SeriesSlices, Body = choice, Lesions = lesions, Matrix = o.Matrix };
            for (int p = 0; p < patients; p++)
            {
                var phantom = new CtPhantom(options, p);
                var rng = new PhantomRandom(seed, p, 777);
                var chosen = new HashSet<int>();
                // Body part: slices spread over the series (avoid the outermost, where anatomy fades out).
                for (int k = 0; k < o.SlicesPerPatient; k++)
                {
                    int slice = (int)((k + rng.Range(0.1, 0.9)) * (SeriesSlices - 8) / o.SlicesPerPatient) + 4;
                    if (chosen.Add(slice)) samples.Add(Sample(phantom, label, slice, MalignancyLabel(phantom, slice, choice)));
                }
                if (choice != BodyRegionChoice.Chest) continue;
                // Malignancy: the slice through each malignant lesion's centre and its neighbours while visible…
                int positives = 0;
                foreach (var lesion in phantom.Lesions.Where(l => l.MalignantLooking))
                {
                    int centre = phantom.Geometry.Slice(lesion.Z);
                    for (int s = centre - 1; s <= centre + 1; s++)
                        if (s >= 0 && s < SeriesSlices && MalignancyLabel(phantom, s, choice) == true && chosen.Add(s))
                        {
                            samples.Add(Sample(phantom, label, s, true));
                            positives++;
                        }
                }
                // …and as many lesion-free slices of the same patient.
                for (int tries = 0, negatives = 0; negatives < Math.Max(positives, 2) && tries < 200; tries++)
                {
                    int s = rng.Next(4, SeriesSlices - 4);
                    if (MalignancyLabel(phantom, s, choice) == false && chosen.Add(s))
                    {
                        samples.Add(Sample(phantom, label, s, false));
                        negatives++;
                    }
                }
            }
        }
        for (int i = 0; i < o.OtherImages; i++)
        {
            int index = i;
            samples.Add(new TrainingSample($"other/s{o.Seed}/{OtherPhantom.Kinds[i % OtherPhantom.Kinds.Length]}/{i}", "other", null, () => OtherPhantom.Render(o.Seed, index, o.Matrix)));
        }
        return samples;
    }

    /// <summary>True: a visible malignant lesion; false: no lesion at all; null: neither (benign lesion or a lesion's edge), or not chest.</summary>
    public static bool? MalignancyLabel(CtPhantom phantom, int slice, BodyRegionChoice choice)
    {
        if (choice != BodyRegionChoice.Chest) return null;
        double z = phantom.Geometry.Z(slice);
        if (phantom.Lesions.All(l => l.SectionDiameterAt(z) <= 0)) return false;
        if (phantom.Lesions.Any(l => l.MalignantLooking && l.SectionDiameterAt(z) >= VisibleSectionMm)) return true;
        return null;
    }

    /// <summary>Renders a phantom slice as the scanner stores it (HU clamped to −1024…3071 and rounded).</summary>
    public static HuImage RenderSlice(CtPhantom phantom, int slice)
    {
        var g = phantom.Geometry;
        var hu = new float[g.Rows * g.Columns];
        phantom.RenderSlice(slice, hu);
        for (int i = 0; i < hu.Length; i++) hu[i] = MathF.Round(Math.Clamp(hu[i], CtPhantom.MinHu, CtPhantom.MaxHu));
        return new HuImage(g.Rows, g.Columns, hu);
    }

    private static TrainingSample Sample(CtPhantom phantom, string label, int slice, bool? malignant) =>
        new($"{label}/s{phantom.Options.Seed}/{phantom.Options.Lesions.ToString().ToLowerInvariant()}/p{phantom.PatientIndex}/i{slice}", label, malignant, () => RenderSlice(phantom, slice));
}
