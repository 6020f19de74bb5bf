using System.Diagnostics;
using EdgeCancer.Dicom;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Query;

namespace EdgeCancer.Scp.Tests.Archive;

/// <summary>10,000 generated studies and STUDY-level query timings, logged for the benchmark notes (not asserted).</summary>
[Category("Archive")]
[TestFixtureSource(typeof(Dialects), nameof(Dialects.All))]
public sealed class IndexScaleTests(IndexDialect dialect)
{
    [Test]
    public async Task Ten_thousand_studies_insert_and_study_level_query_timings_are_logged()
    {
        await using var t = await TestIndex.CreateAsync(dialect, o => o.SqliteSynchronous = "NORMAL");
        const int studies = 10_000;
        var insert = Stopwatch.StartNew();
        for (int i = 0; i < studies; i++)
        {
            var record = Records.Instance($"2.25.{i}", $"2.25.{i}.1", $"2.25.{i}.1.1", patientId: $"P{i % 2500}") with
            {
                PatientName = $"Patient^{i % 2500}", StudyDate = $"2020{1 + i % 12:00}{1 + i % 28:00}", StudyTime = "120000",
                AccessionNumber = $"A{i}", StudyId = i.ToString(System.Globalization.CultureInfo.InvariantCulture), Modality = i % 10 == 0 ? "SR" : "CT",
            };
            await t.Index.StoreInstanceAsync(record, false, CancellationToken.None);
        }
        insert.Stop();
        TestContext.Out.WriteLine($"{dialect}: inserted {studies} studies in {insert.Elapsed.TotalSeconds:F1} s ({studies / insert.Elapsed.TotalSeconds:F0}/s)");

        var keys = new QueryKey[]
        {
            new(new DicomTag(0x0010, 0x0020), DicomVR.LO, "P1234"), new(new DicomTag(0x0020, 0x000D), DicomVR.UI, null),
            new(new DicomTag(0x0008, 0x0020), DicomVR.DA, null), new(new DicomTag(0x0008, 0x0061), DicomVR.CS, null),
            new(new DicomTag(0x0020, 0x1208), DicomVR.IS, null),
        };
        foreach (var (name, request) in new[]
        {
            ("PatientID", new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, keys)),
            ("date range", new FindRequest(QueryModel.StudyRoot, QueryLevel.Study,
                [keys[1], keys[3], keys[4], new(new DicomTag(0x0008, 0x0020), DicomVR.DA, "20200301-20200310")])),
            ("accession", new FindRequest(QueryModel.StudyRoot, QueryLevel.Study, [keys[1], keys[2], keys[3], keys[4], new(new DicomTag(0x0008, 0x0050), DicomVR.SH, "A4321")])),
        })
        {
            var plan = t.Index.PlanFind(request).Plan!;
            var times = new List<double>();
            int count = 0;
            for (int run = 0; run < 30; run++)
            {
                var sw = Stopwatch.StartNew();
                count = 0;
                await foreach (var _ in t.Index.FindAsync(plan, CancellationToken.None)) count++;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            TestContext.Out.WriteLine($"{dialect}: STUDY by {name}: {count} matches, p50 {times[times.Count / 2]:F2} ms, p95 {times[(int)(times.Count * 0.95)]:F2} ms");
            Assert.That(count, Is.GreaterThan(0));
        }
    }
}
