using System.Globalization;
using System.Text.RegularExpressions;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>
/// DCMTK findscu (<c>-P</c> Patient Root, <c>-S</c> Study Root) at every level against what storescu stored; the
/// expected answers are computed from the sent files with our reader. The queries only read, so the fixture shares
/// one node and one data folder.
/// </summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed partial class FindscuAgainstArchiveTests
{
    private const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private ArchiveNode _node = null!;
    private List<DicomDataset> _sent = null!;

    [OneTimeSetUp]
    public async Task StoreTheFixture()
    {
        _node = await ArchiveNode.StartAsync();
        var synth = await SyntheticSeries.GetAsync(3, 3, 64, body: "mixed");
        string[] files = [.. SyntheticSeries.Files(synth), Path.Combine(PydicomFiles, "CT_small.dcm"), Path.Combine(PydicomFiles, "MR_small.dcm")];
        var r = await Peers.RunAsync("storescu", ["-aec", ArchiveNode.AETitle, "127.0.0.1", Port, .. files], TimeSpan.FromSeconds(60));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        _sent = files.Select(f => DicomFile.OpenHeader(f).Dataset).ToList();
        Assert.That(_node.CountRows("instance"), Is.EqualTo(11));
    }

    [OneTimeTearDown]
    public async Task StopTheNode() => await _node.DisposeAsync();

    private string Port => _node.Port.ToString(CultureInfo.InvariantCulture);

    private static string S(DicomDataset ds, DicomTag tag) => ds.TryGetString(tag, out var v) ? v.Trim() : "";

    private IEnumerable<IGrouping<string, DicomDataset>> Studies => _sent.GroupBy(d => S(d, DicomTags.StudyInstanceUID));

    /// <summary>Runs findscu and returns each pending response's elements, keyed "gggg,eeee", values trimmed.</summary>
    private async Task<List<Dictionary<string, string>>> Find(bool patientRoot, params string[] keys)
    {
        var args = new List<string> { patientRoot ? "-P" : "-S", "-aec", ArchiveNode.AETitle };
        foreach (var k in keys) { args.Add("-k"); args.Add(k); }
        args.Add("127.0.0.1");
        args.Add(Port);
        var r = await Peers.RunAsync("findscu", args, TimeSpan.FromSeconds(30));
        Assert.That(r.ExitCode, Is.EqualTo(0), r.ToString());
        Assert.That(r.Output, Does.Not.Contain("E:"), r.ToString());
        var answers = new List<Dictionary<string, string>>();
        foreach (var line in r.Output.Split('\n'))
        {
            if (line.Contains("Find Response:", StringComparison.Ordinal))
            {
                Assert.That(line, Does.Contain("(Pending)"), r.Output);
                answers.Add(new Dictionary<string, string>(StringComparer.Ordinal));
                continue;
            }
            var m = ElementLine().Match(line);
            if (m.Success && answers.Count > 0)
                // UI values are padded with NUL (PS3.5 6.2), which findscu prints inside the brackets.
                answers[^1][m.Groups[1].Value + "," + m.Groups[2].Value] = m.Groups[4].Success ? m.Groups[4].Value.Trim(' ', '\0') : "";
        }
        return answers;
    }

    [GeneratedRegex(@"^I: \(([0-9a-f]{4}),([0-9a-f]{4})\) (\w\w) (?:\[(.*)\]|=\S+|\(no value available\))\s+#")]
    private static partial Regex ElementLine();

    private static string[] Values(List<Dictionary<string, string>> answers, string tag) =>
        answers.Select(a => a.GetValueOrDefault(tag, "<absent>")).Order(StringComparer.Ordinal).ToArray();

    [Test]
    public async Task Patient_level_wildcard_star_finds_the_phantom_patients()
    {
        var answers = await Find(true, "QueryRetrieveLevel=PATIENT", "PatientName=PHANTOM*", "PatientID", "NumberOfPatientRelatedStudies");
        var expected = _sent.Where(d => S(d, DicomTags.PatientName).StartsWith("PHANTOM", StringComparison.Ordinal))
            .Select(d => S(d, DicomTags.PatientID)).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.That(expected, Has.Length.EqualTo(3));
        Assert.That(Values(answers, "0010,0020"), Is.EqualTo(expected));
        Assert.That(Values(answers, "0020,1200"), Is.All.EqualTo("1"));
        Assert.That(answers.Select(a => a["0010,0010"]), Is.All.StartWith("PHANTOM"));
    }

    [Test]
    public async Task Patient_level_question_mark_matches_exactly_one_character()
    {
        var ids = _sent.Select(d => S(d, DicomTags.PatientID)).Where(i => i.StartsWith("PH", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
        var pattern = ids[0][..^1] + "?";
        var answers = await Find(true, "QueryRetrieveLevel=PATIENT", $"PatientID={pattern}", "PatientName");
        var expected = _sent.Select(d => S(d, DicomTags.PatientID))
            .Where(i => i.Length == pattern.Length && i.StartsWith(pattern[..^1], StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.That(Values(answers, "0010,0020"), Is.EqualTo(expected));
        var tooShort = await Find(true, "QueryRetrieveLevel=PATIENT", $"PatientID={pattern[..^2]}?", "PatientName");
        Assert.That(tooShort, Is.Empty, "'?' stands for exactly one character");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Study_level_date_range_returns_the_studies_on_or_after_the_date_with_modalities_and_counts(bool patientRoot)
    {
        var keys = new List<string> { "QueryRetrieveLevel=STUDY", "StudyDate=20200101-", "StudyInstanceUID", "ModalitiesInStudy", "NumberOfStudyRelatedInstances", "NumberOfStudyRelatedSeries", "PatientID" };
        var studies = Studies.Where(g => string.CompareOrdinal(S(g.First(), DicomTags.StudyDate), "20200101") >= 0).ToList();
        if (patientRoot)
        {
            // Patient Root: the patient's unique key is required at STUDY level (PS3.4 C.6.1.1).
            var pid = S(studies[0].First(), DicomTags.PatientID);
            keys[^1] = "PatientID=" + pid;
            studies = studies.Where(g => S(g.First(), DicomTags.PatientID) == pid).ToList();
        }
        Assert.That(studies, Is.Not.Empty);
        var answers = await Find(patientRoot, [.. keys]);
        Assert.That(Values(answers, "0020,000d"), Is.EqualTo(studies.Select(g => g.Key).Order(StringComparer.Ordinal).ToArray()));
        foreach (var a in answers)
        {
            var g = studies.Single(s => s.Key == a["0020,000d"]);
            Assert.That(a["0020,1208"], Is.EqualTo(g.Count().ToString(CultureInfo.InvariantCulture)), "NumberOfStudyRelatedInstances");
            Assert.That(a["0020,1206"], Is.EqualTo("1"), "NumberOfStudyRelatedSeries");
            Assert.That(a["0008,0061"], Is.EqualTo(string.Join('\\', g.Select(d => S(d, DicomTags.Modality)).Distinct())), "ModalitiesInStudy");
            Assert.That(string.CompareOrdinal(a["0008,0020"], "20200101"), Is.GreaterThanOrEqualTo(0));
        }
    }

    [Test]
    public async Task Study_level_uid_list_returns_exactly_the_listed_studies()
    {
        var uids = Studies.Select(g => g.Key).Order(StringComparer.Ordinal).Take(2).ToArray();
        var answers = await Find(false, "QueryRetrieveLevel=STUDY", $"StudyInstanceUID={uids[0]}\\{uids[1]}", "PatientName", "ModalitiesInStudy");
        Assert.That(Values(answers, "0020,000d"), Is.EqualTo(uids));
    }

    [Test]
    public async Task Study_level_universal_query_returns_every_study_with_its_modalities()
    {
        var answers = await Find(false, "QueryRetrieveLevel=STUDY", "StudyInstanceUID", "ModalitiesInStudy", "PatientName", "NumberOfStudyRelatedInstances");
        Assert.That(Values(answers, "0020,000d"), Is.EqualTo(Studies.Select(g => g.Key).Order(StringComparer.Ordinal).ToArray()));
        Assert.That(Values(answers, "0008,0061"), Is.EqualTo(Studies.Select(g => S(g.First(), DicomTags.Modality)).Order(StringComparer.Ordinal).ToArray()));
        Assert.That(answers.Sum(a => int.Parse(a["0020,1208"], CultureInfo.InvariantCulture)), Is.EqualTo(11));
        Assert.That(Values(answers, "0010,0010"), Is.EqualTo(Studies.Select(g => S(g.First(), DicomTags.PatientName)).Order(StringComparer.Ordinal).ToArray()));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Series_level_returns_the_series_of_the_study_with_instance_count(bool patientRoot)
    {
        var study = Studies.First(g => g.Count() == 3);
        var first = study.First();
        var keys = new List<string> { "QueryRetrieveLevel=SERIES", "StudyInstanceUID=" + study.Key, "SeriesInstanceUID", "Modality=C?", "SeriesNumber", "NumberOfSeriesRelatedInstances" };
        if (patientRoot) keys.Add("PatientID=" + S(first, DicomTags.PatientID));
        var answers = await Find(patientRoot, [.. keys]);
        Assert.That(answers, Has.Count.EqualTo(1));
        Assert.That(answers[0]["0020,000e"], Is.EqualTo(S(first, DicomTags.SeriesInstanceUID)));
        Assert.That(answers[0]["0008,0060"], Is.EqualTo("CT"));
        Assert.That(answers[0]["0020,0011"], Is.EqualTo(S(first, DicomTags.SeriesNumber)));
        Assert.That(answers[0]["0020,1209"], Is.EqualTo("3"));
        var none = await Find(patientRoot, [.. keys.Select(k => k.StartsWith("Modality=", StringComparison.Ordinal) ? "Modality=MR" : k)]);
        Assert.That(none, Is.Empty, "single value matching on Modality");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task Image_level_universal_and_uid_list(bool patientRoot)
    {
        var study = Studies.First(g => g.Count() == 3);
        var first = study.First();
        var keys = new List<string> { "QueryRetrieveLevel=IMAGE", "StudyInstanceUID=" + study.Key, "SeriesInstanceUID=" + S(first, DicomTags.SeriesInstanceUID), "SOPInstanceUID", "InstanceNumber", "SOPClassUID" };
        if (patientRoot) keys.Add("PatientID=" + S(first, DicomTags.PatientID));
        var all = await Find(patientRoot, [.. keys]);
        Assert.That(Values(all, "0008,0018"), Is.EqualTo(study.Select(d => S(d, DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal).ToArray()));
        Assert.That(Values(all, "0020,0013"), Is.EqualTo(study.Select(d => S(d, DicomTags.InstanceNumber)).Order(StringComparer.Ordinal).ToArray()));

        var two = study.Select(d => S(d, DicomTags.SOPInstanceUID)).Order(StringComparer.Ordinal).Take(2).ToArray();
        var listed = await Find(patientRoot, [.. keys.Select(k => k == "SOPInstanceUID" ? $"SOPInstanceUID={two[0]}\\{two[1]}" : k)]);
        Assert.That(Values(listed, "0008,0018"), Is.EqualTo(two));
    }
}
