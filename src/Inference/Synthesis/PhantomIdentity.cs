using System.Globalization;
using EdgeCancer.Dicom;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Who and when a synthetic series belongs to: names, IDs, dates and UIDs, all derived from the seed and the patient
/// index. Patient names read <c>PHANTOM^CHEST^0001</c>; IDs carry the seed so runs with different seeds can share an archive.
/// </summary>
public sealed record PhantomIdentity(
    string PatientName,
    string PatientId,
    DateOnly BirthDate,
    string Sex,
    int AgeYears,
    DicomUid StudyInstanceUid,
    DateOnly StudyDate,
    TimeOnly StudyTime,
    string AccessionNumber,
    string StudyId,
    DicomUid SeriesInstanceUid,
    int SeriesNumber,
    DicomUid FrameOfReferenceUid)
{
    /// <summary>The identity of the series of <paramref name="phantom"/>.</summary>
    public static PhantomIdentity For(CtPhantom phantom)
    {
        long seed = phantom.Options.Seed;
        int index = phantom.PatientIndex;
        var rng = new PhantomRandom(seed, index, 5);
        string number = (index + 1).ToString("D4", CultureInfo.InvariantCulture);
        string region = phantom.Region.ToString().ToUpperInvariant();
        var studyDate = new DateOnly(2024, 1, 1).AddDays(rng.Next(0, 366));
        var studyTime = new TimeOnly(rng.Next(7, 19), rng.Next(0, 60), rng.Next(0, 60));
        int age = rng.Next(35, 86);
        var birth = studyDate.AddYears(-age).AddDays(-rng.Next(0, 365));
        string key = $"{seed}/{index}";
        return new PhantomIdentity(
            PatientName: $"PHANTOM^{region}^{number}",
            PatientId: $"PH{seed}-{number}",
            BirthDate: birth,
            Sex: rng.Chance(0.5) ? "F" : "M",
            AgeYears: age,
            StudyInstanceUid: SyntheticUid.From(key + "/study"),
            StudyDate: studyDate,
            StudyTime: studyTime,
            AccessionNumber: $"A{PhantomRandom.Hash(seed, index, 6) % 100_000_000:D8}",
            StudyId: "1",
            SeriesInstanceUid: SyntheticUid.From(key + "/series/1"),
            SeriesNumber: 1,
            FrameOfReferenceUid: SyntheticUid.From(key + "/frame"));
    }

    /// <summary>The SOP Instance UID of slice <paramref name="sliceIndex"/> (0-based).</summary>
    public DicomUid SopInstanceUid(int sliceIndex) => SyntheticUid.From($"{SeriesInstanceUid.Value}/instance/{sliceIndex}");
}
