using System.Diagnostics;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Inference.Synthesis;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Query;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Inference.Tests.Pipeline;

/// <summary>The on-arrival pipeline over a real archive (SQLite), with a stand-in analyzer whose numbers are known.</summary>
[TestFixture, Category("Pipeline")]
public sealed class PipelineTests
{
    private string _root = "";
    private SqlArchiveIndex _index = null!;
    private FileStore _store = null!;
    private ArchiveWriter _writer = null!;
    private AiResultStore _results = null!;
    private InferenceOptions _options = null!;

    /// <summary>Body part from the series description the phantom writes; malignancy = instance number / 100.</summary>
    private sealed class KnownAnalyzer : IImageAnalyzer
    {
        public int Calls;
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> PerImage = new();
        /// <summary>Called at the start of every analysis (e.g. to stop the worker part way).</summary>
        public Action<int>? OnCall;
        public ImageAnalysis Analyze(DicomFile file, CancellationToken cancellationToken)
        {
            int call = Interlocked.Increment(ref Calls);
            PerImage.AddOrUpdate(file.Dataset.GetString(DicomTags.SOPInstanceUID), 1, (_, c) => c + 1);
            OnCall?.Invoke(call);
            Thread.Sleep(5); // long enough for workers to overlap
            var n = file.Dataset.GetSingleValueOrDefault(DicomTags.InstanceNumber, 0);
            var body = file.Dataset.GetSingleValueOrDefault(DicomTags.BodyPartExamined, "").ToLowerInvariant();
            bool chest = body == "chest";
            return new ImageAnalysis(AnalysisStatus.Done, null, chest ? "chest" : body, 0.97, chest ? 0.97 : 0.02, chest ? n / 100.0 : null, 0.5,
                [new ModelIdentity("body-part", "1.0.0", new string('a', 64)), new ModelIdentity("chest-malignancy", "1.0.0", new string('b', 64))]);
        }
    }

    [SetUp]
    public async Task SetUp()
    {
        _root = Directory.CreateTempSubdirectory("ec-pipeline").FullName;
        _index = new SqlArchiveIndex(Options.Create(new IndexOptions { ConnectionString = $"Data Source={Path.Combine(_root, "index.db")}", WorkLeaseTimeout = TimeSpan.FromMilliseconds(1) }));
        await _index.InitializeAsync(CancellationToken.None);
        _store = new FileStore(Options.Create(new FileStoreOptions { Root = Path.Combine(_root, "dicom"), FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);
        _writer = new ArchiveWriter(_store, _index, new ArchiveServiceOptions());
        _results = new AiResultStore(_index);
        _options = new InferenceOptions { QuietPeriodSeconds = 0 };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _index.DisposeAsync();
        Directory.Delete(_root, true);
    }

    private async Task<List<DicomDataset>> StoreSeriesAsync(BodyRegionChoice body, int slices, long seed)
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = seed, Slices = slices, Body = body, Lesions = LesionMode.None }, 0);
        var list = new List<DicomDataset>();
        for (int i = 0; i < slices; i++)
        {
            var ds = CtSeriesWriter.CreateSliceDataset(phantom, i);
            var (outcome, result, _) = await _writer.StoreAsync(new DicomFile(ds));
            Assert.That(outcome.Status.IsSuccess, Is.True, outcome.ErrorComment);
            Assert.That(result!.Value.WorkItemId, Is.Not.Null, "a CT image is queued for inference in its index transaction");
            list.Add(ds);
        }
        return list;
    }

    private InferenceWorker Worker(IImageAnalyzer analyzer, PipelineActivity? activity = null, SqlArchiveIndex? index = null) =>
        new(index ?? _index, _store, _writer, _results, analyzer, new SrReportBuilder(_options), Options.Create(_options), NullLogger<InferenceWorker>.Instance, activity);

    /// <summary>The same index with another work lease (the fixture's is 1 ms, so that a "crashed" claim expires at once).</summary>
    private async Task<SqlArchiveIndex> IndexWithLeaseAsync(TimeSpan lease)
    {
        var index = new SqlArchiveIndex(Options.Create(new IndexOptions { ConnectionString = $"Data Source={Path.Combine(_root, "index.db")}", WorkLeaseTimeout = lease }));
        await index.InitializeAsync(CancellationToken.None);
        return index;
    }

    private SeriesSummaryService Summaries(TimeProvider? time = null) =>
        new(_index, _store, _writer, _results, new SrReportBuilder(_options), Options.Create(_options), NullLogger<SeriesSummaryService>.Instance, time);

    /// <summary>A clock at a fixed offset from the real one (the index stamps arrivals with the real clock).</summary>
    private sealed class OffsetClock(TimeSpan offset) : TimeProvider
    {
        public TimeSpan Offset { get; set; } = offset;
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
    }

    /// <summary>Runs <paramref name="worker"/> with <paramref name="workers"/> workers until no inference item is open, then stops it.</summary>
    private async Task RunUntilDoneAsync(InferenceWorker worker, int workers, string seriesUid, CancellationTokenSource? stop = null)
    {
        using var cts = stop is null ? new CancellationTokenSource() : CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        cts.CancelAfter(TimeSpan.FromMinutes(2));
        var run = worker.RunAsync(workers, cts.Token);
        while (!cts.IsCancellationRequested && await _index.CountOpenWorkAsync(seriesUid, InferenceWorker.WorkKind, CancellationToken.None) > 0)
            await Task.Delay(20);
        await cts.CancelAsync();
        await run;
    }

    private async Task<int> DrainAsync(InferenceWorker worker, bool completeItems = true)
    {
        int n = 0;
        while (true)
        {
            var items = await _index.ClaimAsync("test", 10, InferenceWorker.WorkKind, CancellationToken.None);
            if (items.Count == 0) return n;
            foreach (var item in items)
            {
                if (completeItems) await worker.ProcessOneAsync("test", item, CancellationToken.None);
                n++;
            }
            if (!completeItems) return n;
        }
    }

    private async Task<List<FindResult>> ReportsAsync(string studyUid, string? seriesDescription = null)
    {
        var keys = new List<QueryKey>
        {
            new(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid),
            new(DicomTags.Modality, DicomVR.CS, "SR"),
            new(DicomTags.SOPInstanceUID, DicomVR.UI, ""),
            new(DicomTags.SeriesDescription, DicomVR.LO, seriesDescription ?? ""),
            new(DicomTags.VerificationFlag, DicomVR.CS, ""),
        };
        var plan = _index.PlanFind(new FindRequest(QueryModel.StudyRoot, QueryLevel.Image, keys));
        Assert.That(plan.Success, Is.True, plan.ErrorComment);
        var list = new List<FindResult>();
        await foreach (var r in _index.FindAsync(plan.Plan!, CancellationToken.None)) list.Add(r);
        return list;
    }

    [Test]
    public async Task Each_image_gets_one_report_and_the_complete_series_one_summary_in_the_same_study()
    {
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 6, 11);
        var study = slices[0].GetString(DicomTags.StudyInstanceUID);
        var analyzer = new KnownAnalyzer();
        Assert.That(await DrainAsync(Worker(analyzer)), Is.EqualTo(6));
        Assert.That(await Summaries().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        var perImage = await ReportsAsync(study, "AI results per image");
        var summaries = await ReportsAsync(study, "AI series summary");
        Assert.That(perImage, Has.Count.EqualTo(6));
        Assert.That(summaries, Has.Count.EqualTo(1));
        Assert.That(perImage.All(r => r.Values[DicomTags.VerificationFlag] == "UNVERIFIED"));

        // The numbers inside equal what the analyzer said (instance 6 → 6.0 %).
        var summary = DicomFile.Open(_store.GetFullPath(summaries[0].FilePath!));
        var dump = RunTool("dsrdump", "+Pc " + _store.GetFullPath(summaries[0].FilePath!));
        Assert.That(dump, Does.Contain("(111047,DCM,\"Probability of cancer\")=\"6.0\""), dump);
        Assert.That(summary.Dataset.GetString(DicomTags.StudyInstanceUID), Is.EqualTo(study));
        foreach (var r in perImage.Take(2).Concat(summaries))
        {
            var verify = RunTool("dciodvfy", _store.GetFullPath(r.FilePath!));
            Assert.That(verify.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)), Is.Empty, verify);
        }
    }

    [Test]
    public async Task Work_repeated_after_a_crash_rewrites_the_same_report_instead_of_adding_one()
    {
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 3, 12);
        var study = slices[0].GetString(DicomTags.StudyInstanceUID);
        var analyzer = new KnownAnalyzer();
        var worker = Worker(analyzer);
        // First pass: reports written but the items never completed (the process "died" before CompleteAsync).
        var claimed = await _index.ClaimAsync("crashed", 10, InferenceWorker.WorkKind, CancellationToken.None);
        foreach (var item in claimed)
        {
            var reportOnly = Worker(analyzer);
            await reportOnly.ProcessOneAsync("someone-else", item, CancellationToken.None); // completion refused: not our claim
        }
        await Task.Delay(20); // lease (1 ms) expires
        Assert.That(await DrainAsync(worker), Is.EqualTo(3), "stale claims are taken again");
        Assert.That(analyzer.Calls, Is.EqualTo(6));
        Assert.That(await ReportsAsync(study, "AI results per image"), Has.Count.EqualTo(3), "exactly one per-image report per image");
    }

    [Test]
    public async Task A_late_image_reopens_the_series_and_a_superseding_summary_names_its_predecessor()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 13, Slices = 4, Body = BodyRegionChoice.Chest, Lesions = LesionMode.None }, 0);
        for (int i = 0; i < 3; i++) await _writer.StoreAsync(new DicomFile(CtSeriesWriter.CreateSliceDataset(phantom, i)));
        var worker = Worker(new KnownAnalyzer());
        await DrainAsync(worker);
        Assert.That(await Summaries().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
        var late = CtSeriesWriter.CreateSliceDataset(phantom, 3);
        await _writer.StoreAsync(new DicomFile(late));
        await DrainAsync(worker);
        Assert.That(await Summaries().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));

        var summaries = await ReportsAsync(late.GetString(DicomTags.StudyInstanceUID), "AI series summary");
        Assert.That(summaries, Has.Count.EqualTo(2));
        var state = await _results.SeriesAsync(late.GetString(DicomTags.SeriesInstanceUID), CancellationToken.None);
        Assert.That(state!.SummaryGeneration, Is.EqualTo(2));
        var newest = DicomFile.Open(_store.GetFullPath(summaries.Single(s => s.SopInstanceUid == state.SummarySopInstanceUid).FilePath!));
        var predecessor = newest.Dataset.GetSequence(DicomTags.PredecessorDocumentsSequence).Items[0]
            .GetSequence(DicomTags.ReferencedSeriesSequence).Items[0].GetSequence(DicomTags.ReferencedSOPSequence).Items[0]
            .GetString(DicomTags.ReferencedSOPInstanceUID);
        Assert.That(predecessor, Is.EqualTo(summaries.Single(s => s.SopInstanceUid != state.SummarySopInstanceUid).SopInstanceUid));
    }

    [Test]
    public async Task A_localizer_is_not_analysed_and_says_why()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 14, Slices = 1, Body = BodyRegionChoice.Chest, Lesions = LesionMode.None }, 0);
        var ds = CtSeriesWriter.CreateSliceDataset(phantom, 0);
        ds.AddOrUpdate(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "LOCALIZER");
        await _writer.StoreAsync(new DicomFile(ds));
        var analyzer = new KnownAnalyzer();
        await DrainAsync(Worker(analyzer));
        Assert.That(analyzer.Calls, Is.Zero);
        var rows = await _results.ForImageAsync(ds.GetString(DicomTags.SOPInstanceUID), CancellationToken.None);
        Assert.That(rows.Single().Status, Is.EqualTo(AnalysisStatus.NotAnalysed));
        Assert.That(rows.Single().Reason, Does.Contain("LOCALIZER"));
    }

    [Test]
    public async Task Four_workers_claiming_in_batches_analyse_every_image_once_and_write_one_report_each()
    {
        _options.ClaimBatch = 3;
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 14, 21);
        var study = slices[0].GetString(DicomTags.StudyInstanceUID);
        var analyzer = new KnownAnalyzer();
        await using var index = await IndexWithLeaseAsync(TimeSpan.FromMinutes(1));
        await RunUntilDoneAsync(Worker(analyzer, index: index), 4, slices[0].GetString(DicomTags.SeriesInstanceUID));

        Assert.That(analyzer.Calls, Is.EqualTo(14));
        Assert.That(analyzer.PerImage.Values, Is.All.EqualTo(1), "no image analysed twice");
        var perImage = await ReportsAsync(study, "AI results per image");
        Assert.That(perImage, Has.Count.EqualTo(14));
        Assert.That(perImage.Select(r => r.SopInstanceUid).Distinct().Count(), Is.EqualTo(14));
        Assert.That(await Summaries().RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task A_restart_in_the_middle_of_a_parallel_run_ends_with_exactly_one_report_per_image()
    {
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 12, 22);
        var study = slices[0].GetString(DicomTags.StudyInstanceUID);
        var series = slices[0].GetString(DicomTags.SeriesInstanceUID);
        // First process: stopped after its fifth analysis, with items claimed but not finished.
        using var crash = new CancellationTokenSource();
        var first = new KnownAnalyzer { OnCall = n => { if (n == 5) crash.Cancel(); } };
        await using var index = await IndexWithLeaseAsync(TimeSpan.FromMilliseconds(300));
        await RunUntilDoneAsync(Worker(first, index: index), 3, series, crash);
        Assert.That(await _index.CountOpenWorkAsync(series, InferenceWorker.WorkKind, CancellationToken.None), Is.GreaterThan(0), "the first run stopped part way");
        await Task.Delay(400); // the crashed run's leases expire

        var second = new KnownAnalyzer();
        await RunUntilDoneAsync(Worker(second, index: index), 3, series);
        Assert.That(second.PerImage.Keys.Count + first.PerImage.Keys.Count, Is.GreaterThanOrEqualTo(12));
        var perImage = await ReportsAsync(study, "AI results per image");
        Assert.That(perImage, Has.Count.EqualTo(12), "exactly one per-image report per image");
        Assert.That(perImage.Select(r => r.SopInstanceUid).Distinct().Count(), Is.EqualTo(12));
        foreach (var ds in slices)
            Assert.That(await _results.ForImageAsync(ds.GetString(DicomTags.SOPInstanceUID), CancellationToken.None), Has.Count.EqualTo(1), "one result row per image");
    }

    [Test]
    public async Task A_restarted_worker_takes_back_at_once_the_items_a_killed_process_of_this_machine_had_claimed()
    {
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 4, 23);
        var study = slices[0].GetString(DicomTags.StudyInstanceUID);
        var series = slices[0].GetString(DicomTags.SeriesInstanceUID);
        await using var index = await IndexWithLeaseAsync(TimeSpan.FromMinutes(10));
        // Claimed by a process of this machine that no longer runs (no process has that id), well within the lease.
        var orphans = await index.ClaimAsync($"{Environment.MachineName}/{int.MaxValue}/killed", 3, InferenceWorker.WorkKind, CancellationToken.None);
        Assert.That(orphans, Has.Count.EqualTo(3));

        _options.Workers = 1;
        var analyzer = new KnownAnalyzer();
        var worker = Worker(analyzer, index: index);
        await worker.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && await _index.CountOpenWorkAsync(series, InferenceWorker.WorkKind, CancellationToken.None) > 0) await Task.Delay(50);
        await worker.StopAsync(CancellationToken.None);

        Assert.That(await _index.CountOpenWorkAsync(series, InferenceWorker.WorkKind, CancellationToken.None), Is.Zero, "the killed process's claims must not wait for the 10-minute lease");
        Assert.That(analyzer.Calls, Is.EqualTo(4));
        Assert.That(await ReportsAsync(study, "AI results per image"), Has.Count.EqualTo(4));
    }

    [Test]
    public async Task The_summary_waits_for_the_quiet_period_from_the_last_arrival_and_no_longer()
    {
        _options.QuietPeriodSeconds = 10;
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 3, 23);
        await DrainAsync(Worker(new KnownAnalyzer()));
        var clock = new OffsetClock(TimeSpan.Zero);
        var summaries = Summaries(clock);
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.Zero, "the last image arrived less than 10 s ago");
        clock.Offset = TimeSpan.FromSeconds(9);
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.Zero);
        clock.Offset = TimeSpan.FromSeconds(11);
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "10 s after the last arrival, all work done: written");
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.Zero, "and only once");
    }

    [Test]
    public async Task The_summary_is_not_written_while_an_image_of_the_series_is_still_queued()
    {
        _options.QuietPeriodSeconds = 1;
        var slices = await StoreSeriesAsync(BodyRegionChoice.Chest, 3, 24);
        var claimed = await _index.ClaimAsync("test", 2, InferenceWorker.WorkKind, CancellationToken.None);
        var worker = Worker(new KnownAnalyzer());
        foreach (var item in claimed) await worker.ProcessOneAsync("test", item, CancellationToken.None);
        var summaries = Summaries(new OffsetClock(TimeSpan.FromHours(1)));
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.Zero, "one image is still waiting for analysis");
        await DrainAsync(worker);
        Assert.That(await summaries.RunOnceAsync(CancellationToken.None), Is.EqualTo(1));
    }

    [Test]
    public async Task Images_above_the_threshold_get_a_background_heatmap_item_and_do_not_wait_for_it()
    {
        // KnownAnalyzer: malignancy = instance number / 100, threshold 0.5 → instances 50 … 52 are suspicious.
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 25, Slices = 53, Body = BodyRegionChoice.Chest, Lesions = LesionMode.None }, 0);
        var suspicious = new List<string>();
        foreach (int i in new[] { 0, 10, 49, 50, 52 })
        {
            var ds = CtSeriesWriter.CreateSliceDataset(phantom, i);
            await _writer.StoreAsync(new DicomFile(ds));
            if (ds.GetSingleValueOrDefault(DicomTags.InstanceNumber, 0) >= 50) suspicious.Add(ds.GetString(DicomTags.SOPInstanceUID));
        }
        Assert.That(suspicious, Has.Count.EqualTo(3), "instances 50, 51 and 53 are at or above 0.5");
        await DrainAsync(Worker(new KnownAnalyzer()));
        Assert.That(await Summaries().RunOnceAsync(CancellationToken.None), Is.EqualTo(1), "the summary does not wait for heatmaps");

        var heatmapItems = await _index.ClaimAsync("test", 100, InferenceWorker.HeatmapKind, CancellationToken.None);
        Assert.That(heatmapItems.Select(i => i.SopInstanceUid), Is.EquivalentTo(suspicious));
    }

    [Test]
    public async Task The_heatmap_worker_waits_while_images_are_being_analysed_then_stores_the_map_once()
    {
        var phantom = new CtPhantom(new CtPhantomOptions { Seed = 26, Slices = 1, Body = BodyRegionChoice.Chest, Lesions = LesionMode.None }, 0);
        var ds = CtSeriesWriter.CreateSliceDataset(phantom, 0);
        await _writer.StoreAsync(new DicomFile(ds));
        var sop = ds.GetString(DicomTags.SOPInstanceUID);
        using var provider = new EdgeCancer.Inference.Models.ActiveModelProvider(new EdgeCancer.Inference.Models.ModelRegistry(EdgeCancer.Inference.Tests.Inference.TestModels.Root));
        var activity = new PipelineActivity();
        var heatmaps = new EdgeCancer.Inference.Explain.HeatmapStore(Path.Combine(_root, "heatmaps"));
        var cache = new EdgeCancer.Inference.Explain.HeatmapCache(4);
        _options.HeatmapPatch = 112; // 2 × 2 positions + the baseline: the test is about scheduling, not resolution
        _options.HeatmapStride = 112;
        var worker = new HeatmapWorker(_index, _store, provider, heatmaps, cache, activity, Options.Create(_options), NullLogger<HeatmapWorker>.Instance);

        Task<HeatmapOutcome> run;
        using (activity.Begin())
        {
            run = worker.GenerateAsync(sop, CancellationToken.None);
            await Task.Delay(500);
            Assert.That(run.IsCompleted, Is.False, "no model run while on-arrival work is in progress");
        }
        Assert.That(await run, Is.EqualTo(HeatmapOutcome.Written));
        Assert.That(cache.Count, Is.EqualTo(1));
        using var lease = provider.Acquire();
        var model = lease.Models.Find(SrReportBuilder.MalignancyModelName)!;
        var stored = heatmaps.TryLoad(new EdgeCancer.Inference.Explain.HeatmapKey(sop, model.Name, model.Version, model.Sha256));
        Assert.That(stored, Is.Not.Null);
        Assert.That((stored!.Value.Rows, stored.Value.Columns), Is.EqualTo((512, 512)));
        Assert.That(stored.Value.Pixels, Has.Length.EqualTo(512 * 512));
        Assert.That(await worker.GenerateAsync(sop, CancellationToken.None), Is.EqualTo(HeatmapOutcome.AlreadyStored), "a repeated item does not recompute");
    }

    private static string RunTool(string tool, string args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{tool} is missing (apt-get install dcmtk dicom3tools)");
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
