using EdgeCancer.Dicom;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Query;

namespace EdgeCancer.Scp.Tests.Archive;

[Category("Archive")]
[TestFixtureSource(typeof(Dialects), nameof(Dialects.All))]
public sealed class FindTests(IndexDialect dialect)
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010), PatientId = new(0x0010, 0x0020), StudyUid = new(0x0020, 0x000D),
        SeriesUid = new(0x0020, 0x000E), SopUid = new(0x0008, 0x0018), StudyDate = new(0x0008, 0x0020), StudyTime = new(0x0008, 0x0030),
        Accession = new(0x0008, 0x0050), StudyDescription = new(0x0008, 0x1030), Modalities = new(0x0008, 0x0061), SopClasses = new(0x0008, 0x0062),
        Modality = new(0x0008, 0x0060), SeriesDescription = new(0x0008, 0x103E), Manufacturer = new(0x0008, 0x0070), SopClass = new(0x0008, 0x0016),
        CompletionFlag = new(0x0040, 0xA491), VerificationFlag = new(0x0040, 0xA493), ContentDate = new(0x0008, 0x0023),
        ConceptName = new(0x0040, 0xA043), CodeValue = new(0x0008, 0x0100), CodingScheme = new(0x0008, 0x0102),
        StudySeries = new(0x0020, 0x1206), StudyInstances = new(0x0020, 0x1208), SeriesInstances = new(0x0020, 0x1209),
        PatientStudies = new(0x0020, 0x1200), PatientSeries = new(0x0020, 0x1202), PatientInstances = new(0x0020, 0x1204),
        InstitutionName = new(0x0008, 0x0080);

    private TestIndex _t = null!;

    [OneTimeSetUp]
    public async Task Populate()
    {
        _t = await TestIndex.CreateAsync(dialect);
        var a = new Func<string, string, string, InstanceRecord>((study, series, sop) => Records.Instance(study, series, sop) with
        {
            PatientId = "PID1", PatientName = "Smith^John", PatientBirthDate = "19500101", PatientSex = "M",
        });
        var b = new Func<string, string, string, InstanceRecord>((study, series, sop) => Records.Instance(study, series, sop) with
        {
            PatientId = "PID2", PatientName = "smith^jane", PatientBirthDate = "19800202", PatientSex = "F",
        });
        var s1 = new Func<InstanceRecord, InstanceRecord>(r => r with { StudyDate = "20200115", StudyTime = "101500", AccessionNumber = "ACC1", StudyId = "1", StudyDescription = "CT Chest",
            StudyExtra = new Dictionary<DicomTag, string> { [InstitutionName] = "Hospital A" } });
        for (int i = 1; i <= 3; i++)
            await Store(s1(a("1.1", "1.1.1", $"1.1.1.{i}")) with { SeriesDescription = "Axial 5mm", Manufacturer = "ACME", ManufacturerModelName = "Scan 1", InstanceNumber = i });
        await Store(s1(a("1.1", "1.1.2", "1.1.2.1")) with
        {
            Modality = "SR", SeriesNumber = 900, SopClassUid = Records.Comprehensive3DSr, SeriesDescription = "AI results per image",
            Manufacturer = "EdgeCancer", ManufacturerModelName = "Node", CompletionFlag = "PARTIAL", VerificationFlag = "UNVERIFIED",
            ContentDate = "20261125", ContentTime = "093000", ConceptNameCodeValue = "126000", ConceptNameCodingSchemeDesignator = "DCM",
            ConceptNameCodeMeaning = "Imaging Measurement Report",
        });
        for (int i = 1; i <= 2; i++)
            await Store(a("1.2", "1.2.1", $"1.2.1.{i}") with { StudyDate = "20201231", StudyTime = "235900", AccessionNumber = "acc2", StudyId = "2",
                StudyDescription = "MR Brain", Modality = "MR", SopClassUid = Records.MrImage });
        var s3 = new Func<InstanceRecord, InstanceRecord>(r => r with { StudyDate = "20210601", StudyTime = "0800", AccessionNumber = "A_%3", StudyId = "3", StudyDescription = "CT 100%_ok" });
        await Store(s3(b("1.3", "1.3.1", "1.3.1.1")));
        await Store(s3(b("1.3", "1.3.2", "1.3.2.1")) with
        {
            Modality = "SR", SeriesNumber = 901, SopClassUid = Records.ComprehensiveSr, CompletionFlag = "COMPLETE", VerificationFlag = "VERIFIED",
            ContentDate = "20261201", ConceptNameCodeValue = "126000", ConceptNameCodingSchemeDesignator = "DCM",
        });
        // A study without a date: Study Date is a Required key, so it matches any date query (C.2.2.1.2).
        await Store(b("1.4", "1.4.1", "1.4.1.1") with { StudyTime = "120000", AccessionNumber = "ACC4", StudyId = "4", StudyDescription = "XR Hand", Modality = "CR" });
    }

    private Task Store(InstanceRecord record) => _t.Index.StoreInstanceAsync(record, false, CancellationToken.None);

    [OneTimeTearDown]
    public async Task Dispose() => await _t.DisposeAsync();

    private static QueryKey K(DicomTag tag, DicomVR vr, string? value = null, IReadOnlyList<QueryKey>? items = null) => new(tag, vr, value, items);

    private async Task<List<FindResult>> FindAsync(QueryLevel level, params QueryKey[] keys) => await FindAsync(new FindRequest(QueryModel.StudyRoot, level, keys));

    private async Task<List<FindResult>> FindAsync(FindRequest request)
    {
        var plan = _t.Index.PlanFind(request);
        Assert.That(plan.Success, Is.True, plan.ErrorComment);
        var results = new List<FindResult>();
        await foreach (var r in _t.Index.FindAsync(plan.Plan!, CancellationToken.None)) results.Add(r);
        return results;
    }

    private async Task<string[]> StudiesAsync(params QueryKey[] keys) =>
        (await FindAsync(QueryLevel.Study, keys)).Select(r => r.Values[StudyUid]!).Order().ToArray();

    [Test]
    public async Task Single_value_matching_is_case_sensitive_except_for_person_names()
    {
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "ACC1")), Is.EqualTo(new[] { "1.1" }));
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "acc1")), Is.Empty);
        Assert.That(await StudiesAsync(K(PatientName, DicomVR.PN, "SMITH^JOHN")), Is.EqualTo(new[] { "1.1", "1.2" }));
    }

    [Test]
    public async Task Wildcards_star_and_question_mark_match_with_percent_and_underscore_taken_literally()
    {
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "CT*")), Is.EqualTo(new[] { "1.1", "1.3" }));
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "?R Brain")), Is.EqualTo(new[] { "1.2" }));
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "ACC*")), Is.EqualTo(new[] { "1.1", "1.4" }), "case-sensitive wildcard");
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "A_%*")), Is.EqualTo(new[] { "1.3" }), "% and _ are literal");
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "A?%3")), Is.EqualTo(new[] { "1.3" }));
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "*100%?ok")), Is.EqualTo(new[] { "1.3" }));
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "*1000*")), Is.Empty);
        var patients = await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Patient, [K(PatientName, DicomVR.PN, "smith*")]));
        Assert.That(patients.Select(p => p.Values[PatientId]).Order(), Is.EqualTo(new[] { "PID1", "PID2" }));
    }

    [Test]
    public async Task Date_ranges_match_and_an_empty_required_date_matches_any()
    {
        Assert.That(await StudiesAsync(K(StudyDate, DicomVR.DA, "20200101-20201231")), Is.EqualTo(new[] { "1.1", "1.2", "1.4" }));
        Assert.That(await StudiesAsync(K(StudyDate, DicomVR.DA, "20210101-")), Is.EqualTo(new[] { "1.3", "1.4" }));
        Assert.That(await StudiesAsync(K(StudyDate, DicomVR.DA, "-20200131")), Is.EqualTo(new[] { "1.1", "1.4" }));
        Assert.That(await StudiesAsync(K(StudyDate, DicomVR.DA, "20201231")), Is.EqualTo(new[] { "1.2", "1.4" }));
    }

    [Test]
    public async Task Time_values_match_by_meaning()
    {
        Assert.That(await StudiesAsync(K(StudyTime, DicomVR.TM, "2300-")), Is.EqualTo(new[] { "1.2" }));
        Assert.That(await StudiesAsync(K(StudyTime, DicomVR.TM, "080000")), Is.EqualTo(new[] { "1.3" }), "stored 0800 equals 080000");
        Assert.That(await StudiesAsync(K(StudyTime, DicomVR.TM, "-1015")), Is.EqualTo(new[] { "1.1", "1.3" }), "upper bound covers the minute 10:15");
    }

    [Test]
    public async Task Combined_date_and_time_range_is_one_datetime_range()
    {
        var keys = new[] { K(StudyDate, DicomVR.DA, "20200101-20201231"), K(StudyTime, DicomVR.TM, "1200-1000") };
        var independent = await FindAsync(new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, keys));
        Assert.That(independent, Is.Empty, "separately, no time lies between 12:00 and 10:00");
        var combined = await FindAsync(new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, keys.Reverse().ToArray(), CombineDateTimeMatching: true));
        Assert.That(combined.Select(r => r.Values[StudyUid]).Order(), Is.EqualTo(new[] { "1.1", "1.4" }),
            "2020-01-15 10:15 is inside 2020-01-01 12:00 … 2020-12-31 10:00; 2020-12-31 23:59 is not; 1.4 has no date");
    }

    [Test]
    public async Task UID_list_matches_any_listed_UID()
    {
        Assert.That(await StudiesAsync(K(StudyUid, DicomVR.UI, "1.1\\1.3\\9.9")), Is.EqualTo(new[] { "1.1", "1.3" }));
        var images = await FindAsync(QueryLevel.Image, K(StudyUid, DicomVR.UI, "1.1\\1.3"), K(SeriesUid, DicomVR.UI),
            K(SopClass, DicomVR.UI, $"{Records.Comprehensive3DSr}\\{Records.ComprehensiveSr}"), K(SopUid, DicomVR.UI));
        Assert.That(images.Select(r => r.Values[SopUid]).Order(), Is.EqualTo(new[] { "1.1.2.1", "1.3.2.1" }));
    }

    [Test]
    public async Task Universal_matching_returns_every_entity_with_the_requested_keys()
    {
        var patients = await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Patient,
            [K(PatientId, DicomVR.LO, ""), K(PatientName, DicomVR.PN), K(new DicomTag(0x0010, 0x0030), DicomVR.DA)]));
        Assert.That(patients.Select(p => (p.Values[PatientId], p.Values[PatientName], p.Values[new DicomTag(0x0010, 0x0030)])),
            Is.EqualTo(new[] { ("PID1", "Smith^John", "19500101"), ("PID2", "smith^jane", "19800202") }));
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "*")), Has.Length.EqualTo(4), "'*' alone is universal");
    }

    [Test]
    public async Task Sequence_matching_on_Concept_Name_Code_Sequence()
    {
        QueryKey[] Keys(params QueryKey[] item) =>
            [K(StudyUid, DicomVR.UI, "1.1"), K(SeriesUid, DicomVR.UI), K(SopUid, DicomVR.UI), K(ConceptName, DicomVR.SQ, null, item)];
        var sr = await FindAsync(QueryLevel.Image, Keys(K(CodeValue, DicomVR.SH, "126000"), K(CodingScheme, DicomVR.SH, "DCM")));
        Assert.That(sr.Select(r => r.Values[SopUid]), Is.EqualTo(new[] { "1.1.2.1" }));
        Assert.That(sr[0].Sequences[ConceptName].Single()[CodeValue], Is.EqualTo("126000"));
        Assert.That(await FindAsync(QueryLevel.Image, Keys(K(CodeValue, DicomVR.SH, "999999"))), Is.Empty);
        Assert.That(await FindAsync(QueryLevel.Image, Keys(K(CodeValue, DicomVR.SH, "126000"), K(CodingScheme, DicomVR.SH, "SCT"))), Is.Empty,
            "every key of the item must match");
        var all = await FindAsync(QueryLevel.Image, Keys());
        Assert.That(all, Has.Count.EqualTo(4), "an empty item only asks for the sequence");
        Assert.That(all.Single(r => r.Values[SopUid] == "1.1.2.1").Sequences[ConceptName].Single()[new DicomTag(0x0008, 0x0104)],
            Is.EqualTo("Imaging Measurement Report"));
        Assert.That(all.Single(r => r.Values[SopUid] == "1.1.1.1").Sequences[ConceptName], Is.Empty);
    }

    [Test]
    public async Task Modalities_in_study_matches_any_series_modality_and_returns_all_of_them()
    {
        var studies = await FindAsync(QueryLevel.Study, K(StudyUid, DicomVR.UI), K(Modalities, DicomVR.CS, "SR"), K(SopClasses, DicomVR.UI));
        Assert.That(studies.Select(s => s.Values[StudyUid]).Order(), Is.EqualTo(new[] { "1.1", "1.3" }));
        var s1 = studies.Single(s => s.Values[StudyUid] == "1.1");
        Assert.That(s1.Values[Modalities], Is.EqualTo("CT\\SR"));
        Assert.That(s1.Values[SopClasses], Is.EqualTo($"{Records.CtImage}\\{Records.Comprehensive3DSr}"));
        Assert.That(await StudiesAsync(K(Modalities, DicomVR.CS, "MR\\CR")), Is.EqualTo(new[] { "1.2", "1.4" }));
        Assert.That(await StudiesAsync(K(SopClasses, DicomVR.UI, Records.MrImage)), Is.EqualTo(new[] { "1.2" }));
    }

    [Test]
    public async Task Counters_count_related_series_and_instances()
    {
        var study = (await FindAsync(QueryLevel.Study, K(StudyUid, DicomVR.UI, "1.1"), K(StudySeries, DicomVR.IS), K(StudyInstances, DicomVR.IS))).Single();
        Assert.That((study.Values[StudySeries], study.Values[StudyInstances]), Is.EqualTo(("2", "4")));
        var series = await FindAsync(QueryLevel.Series, K(StudyUid, DicomVR.UI, "1.1"), K(SeriesUid, DicomVR.UI), K(SeriesInstances, DicomVR.IS));
        Assert.That(series.Select(s => (s.Values[SeriesUid], s.Values[SeriesInstances])), Is.EqualTo(new[] { ("1.1.1", "3"), ("1.1.2", "1") }));
        var patient = (await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Patient,
            [K(PatientId, DicomVR.LO, "PID1"), K(PatientStudies, DicomVR.IS), K(PatientSeries, DicomVR.IS), K(PatientInstances, DicomVR.IS)]))).Single();
        Assert.That((patient.Values[PatientStudies], patient.Values[PatientSeries], patient.Values[PatientInstances]), Is.EqualTo(("2", "3", "6")));
    }

    [Test]
    public async Task SR_keys_at_series_and_image_level()
    {
        var series = await FindAsync(QueryLevel.Series, K(StudyUid, DicomVR.UI, "1.1"), K(Modality, DicomVR.CS, "SR"),
            K(SeriesDescription, DicomVR.LO, "AI results*"), K(Manufacturer, DicomVR.LO), K(new DicomTag(0x0008, 0x1090), DicomVR.LO));
        Assert.That(series.Select(s => (s.Values[SeriesUid], s.Values[Manufacturer], s.Values[new DicomTag(0x0008, 0x1090)])),
            Is.EqualTo(new[] { ("1.1.2", "EdgeCancer", "Node") }));
        async Task<string?[]> Images(params QueryKey[] keys) =>
            (await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Image, keys))).Select(r => r.Values[SopUid]).Order().ToArray();
        Assert.That(await Images(K(VerificationFlag, DicomVR.CS, "VERIFIED")), Is.EqualTo(new[] { "1.3.2.1" }));
        Assert.That(await Images(K(CompletionFlag, DicomVR.CS, "PARTIAL")), Is.EqualTo(new[] { "1.1.2.1" }));
        Assert.That(await Images(K(ContentDate, DicomVR.DA, "20261125-")), Is.EqualTo(new[] { "1.1.2.1", "1.3.2.1" }));
        Assert.That(await Images(K(ContentDate, DicomVR.DA, "20261130-")), Is.EqualTo(new[] { "1.3.2.1" }));
    }

    [Test]
    public async Task Image_level_results_carry_the_file_and_the_unique_keys_of_higher_levels()
    {
        var image = (await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Image,
            [K(PatientId, DicomVR.LO, "PID1"), K(StudyUid, DicomVR.UI, "1.1"), K(SeriesUid, DicomVR.UI, "1.1.1"), K(SopUid, DicomVR.UI, "1.1.1.2")]))).Single();
        Assert.That(image.FilePath, Is.EqualTo("1.1/1.1.1/1.1.1.2.dcm"));
        Assert.That(image.SopClassUid, Is.EqualTo(Records.CtImage));
        var study = (await FindAsync(new FindRequest(QueryModel.PatientRoot, QueryLevel.Study, [K(StudyUid, DicomVR.UI, "1.3")]))).Single();
        Assert.That(study.Values[PatientId], Is.EqualTo("PID2"), "Patient Root responses hold the patient's unique key");
    }

    [Test]
    public async Task Extra_attributes_are_returned_but_not_matched()
    {
        var plan = _t.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Study,
            [K(StudyUid, DicomVR.UI, "1.1\\1.2"), K(InstitutionName, DicomVR.LO, "Hospital B")]));
        Assert.That(plan.Plan!.UnsupportedKeys, Is.EqualTo(new[] { InstitutionName }), "the handler answers FF01");
        var results = new List<FindResult>();
        await foreach (var r in _t.Index.FindAsync(plan.Plan, CancellationToken.None)) results.Add(r);
        Assert.That(results.Select(r => r.Values[InstitutionName]), Is.EqualTo(new[] { "Hospital A", null }));
    }

    [Test]
    public void Key_below_the_query_level_fails_with_identifier_does_not_match_SOP_class()
    {
        var result = _t.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, [K(SopUid, DicomVR.UI, "1.1.1.1")]));
        Assert.That(result.Failure, Is.EqualTo(FindFailure.IdentifierDoesNotMatchSopClass));
        Assert.That(result.ErrorComment, Is.EqualTo("SOPInstanceUID is a IMAGE key, below query level STUDY"));
        Assert.That(result.OffendingTag, Is.EqualTo(SopUid));
        var patientLevel = _t.Index.PlanFind(new FindRequest(QueryModel.PatientRoot, QueryLevel.Patient, [K(StudyDate, DicomVR.DA, "20200101")]));
        Assert.That(patientLevel.Failure, Is.EqualTo(FindFailure.IdentifierDoesNotMatchSopClass));
        var studyRootPatient = _t.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Patient, [K(PatientId, DicomVR.LO)]));
        Assert.That(studyRootPatient.Failure, Is.EqualTo(FindFailure.IdentifierDoesNotMatchSopClass));
    }

    [Test]
    public void Malformed_range_is_unable_to_process()
    {
        var result = _t.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, [K(StudyDate, DicomVR.DA, "2020-abc")]));
        Assert.That(result.Failure, Is.EqualTo(FindFailure.UnableToProcess));
    }

    [Test]
    public async Task Values_are_parameters_not_SQL()
    {
        Assert.That(await StudiesAsync(K(Accession, DicomVR.SH, "x' OR '1'='1")), Is.Empty);
        Assert.That(await StudiesAsync(K(StudyDescription, DicomVR.LO, "*'; DROP TABLE study; --*")), Is.Empty);
        Assert.That(await StudiesAsync(K(StudyUid, DicomVR.UI)), Has.Length.EqualTo(4));
    }

    [Test]
    public async Task Cancelling_stops_the_stream()
    {
        var plan = _t.Index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Image, [K(SopUid, DicomVR.UI)])).Plan!;
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.That(async () =>
        {
            await foreach (var _ in _t.Index.FindAsync(plan, cts.Token))
            {
                seen++;
                await cts.CancelAsync();
            }
        }, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(seen, Is.EqualTo(1));
    }
}
