using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// Synthetic CT series from <c>edgecancer synth</c>'s generator, written once per machine into a temp folder named
/// after the options (same options and seed give identical files) and reused by later runs.
/// </summary>
internal static class SyntheticSeries
{
    /// <summary>Folder holding <c>{PatientID}/study-1/series-1/NNNN.dcm</c> for each patient.</summary>
    public static async Task<string> GetAsync(int patients, int slices, int matrix, long seed = 1, string body = "chest")
    {
        var name = $"ec-interop-synth-p{patients}-s{slices}-m{matrix}-seed{seed}-{body}";
        var folder = Path.Combine(Path.GetTempPath(), name);
        if (File.Exists(Path.Combine(folder, CtPhantomGenerator.IndexFileName))) return folder;
        var staging = folder + "." + Guid.NewGuid().ToString("N");
        await CtPhantomGenerator.RunAsync(new CtPhantomOptions
        {
            Patients = patients,
            Slices = slices,
            Matrix = matrix,
            Seed = seed,
            Body = Enum.Parse<BodyRegionChoice>(body, ignoreCase: true),
        }, staging);
        try { Directory.Move(staging, folder); }
        catch (IOException) { Directory.Delete(staging, true); } // another run won the race; its copy is identical
        return folder;
    }

    /// <summary>The series folders (<c>{PatientID}/study-1/series-1</c>) in patient order.</summary>
    public static string[] SeriesFolders(string root) =>
        Directory.GetDirectories(root).Order(StringComparer.Ordinal)
            .Select(p => Path.Combine(p, "study-1", "series-1")).ToArray();

    public static string[] Files(string folder) => Directory.GetFiles(folder, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
}
