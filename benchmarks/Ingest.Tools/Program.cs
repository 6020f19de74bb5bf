using System.Diagnostics;
using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Onnx;

// Helper of benchmarks/ingest/run.sh.
//   populate  : C-STORE N minimal studies (one 8x8 CT image each, deterministic UIDs) over K associations.
//   findbench : time Q STUDY-level C-FINDs (Study Root) over one association and print p50/p95.
// The same client code talks to our node and to Orthanc, so the comparison is fair.
// Helper of benchmarks/inference/run.sh.
//   inference : time the classifier (every active model) on N images at batch 1, per image, after 5 warm-up calls.
return await BenchTools.RunAsync(args).ConfigureAwait(false);

internal static class BenchTools
{
    private const string StudyRootFind = "1.2.840.10008.5.1.4.1.2.2.1";
    private const int DaysSpan = 1826; // five years of study dates
    private static readonly DateOnly FirstDate = new(2020, 1, 1);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine("""
                usage: ingest-tools populate  --port P [--host H] [--ae AE] [--studies N] [--associations K] [--first I]
                       ingest-tools findbench --port P [--host H] [--ae AE] [--studies N] [--queries Q] [--label NAME]
                       ingest-tools inference --models DIR --files DIR [--files DIR ...] [--n N]
                """);
            return 2;
        }
        if (args[0] == "inference") return InferenceBench.Run(args.AsSpan(1));
        var o = Options.Parse(args.AsSpan(1));
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return args[0] switch
            {
                "populate" => await PopulateAsync(o, cts.Token).ConfigureAwait(false),
                "findbench" => await FindBenchAsync(o, cts.Token).ConfigureAwait(false),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (DicomAssociationException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("ingest-tools: " + message);
        return 2;
    }

    // ---- populate --------------------------------------------------------------------------------------------

    /// <summary>UIDs under the 2.25 arc: one integer per study, so both nodes receive identical data.</summary>
    private static string StudyUid(int i) => string.Create(CultureInfo.InvariantCulture, $"2.25.{9_100_000_000_000L + i}");
    private static string PatientId(int i) => string.Create(CultureInfo.InvariantCulture, $"FB{i / 2:D6}");           // two studies per patient
    private static string PatientName(int i) => string.Create(CultureInfo.InvariantCulture, $"BENCH^P{i / 2:D6}");
    private static DateOnly StudyDate(int i) => FirstDate.AddDays(i % DaysSpan);

    private static DicomDataset MakeInstance(int i)
    {
        string study = StudyUid(i);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage.Value);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, study + ".1.1");
        ds.AddOrUpdate(DicomTags.StudyDate, StudyDate(i).ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        ds.AddOrUpdate(DicomTags.StudyTime, "101500");
        ds.AddOrUpdate(DicomTags.AccessionNumber, string.Create(CultureInfo.InvariantCulture, $"A{i:D7}"));
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "");
        ds.AddOrUpdate(DicomTags.StudyDescription, "CHEST BENCH");
        ds.AddOrUpdate(DicomTags.PatientName, PatientName(i));
        ds.AddOrUpdate(DicomTags.PatientID, PatientId(i));
        ds.AddOrUpdate(DicomTags.PatientBirthDate, "19600101");
        ds.AddOrUpdate(DicomTags.PatientSex, (i & 2) == 0 ? "F" : "M");
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, study + ".1");
        ds.AddOrUpdate(DicomTags.StudyID, "1");
        ds.AddOrUpdate(DicomTags.SeriesNumber, "1");
        ds.AddOrUpdate(DicomTags.InstanceNumber, "1");
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)8);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)8);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)12);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)11);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(DicomTags.RescaleIntercept, "-1024");
        ds.AddOrUpdate(DicomTags.RescaleSlope, "1");
        var pixels = new byte[8 * 8 * 2];
        for (int p = 0; p < 64; p++) { pixels[2 * p] = (byte)(i + p); pixels[2 * p + 1] = 0x04; }
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        return ds;
    }

    private static async Task<int> PopulateAsync(Options o, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        int done = 0, failed = 0;
        string? firstError = null;
        var workers = Enumerable.Range(0, o.Associations).Select(async k =>
        {
            var contexts = new[] { DicomClient.Propose(1, DicomUids.CTImageStorage.Value) };
            await using var client = await DicomClient.ConnectAsync(o.Host, o.Port, "BENCH", o.AE, contexts, cancellationToken: ct).ConfigureAwait(false);
            for (int i = o.First + k; i < o.First + o.Studies; i += o.Associations)
            {
                var rsp = await client.StoreAsync(MakeInstance(i), ct).ConfigureAwait(false);
                if (rsp.Status.IsSuccess || rsp.Status.State == DicomState.Warning) Interlocked.Increment(ref done);
                else { Interlocked.Increment(ref failed); firstError ??= rsp.ToString(); }
            }
            await client.ReleaseAsync(ct).ConfigureAwait(false);
        }).ToList();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        var all = Task.WhenAll(workers);
        while (!all.IsCompleted)
        {
            var tick = timer.WaitForNextTickAsync(ct).AsTask();
            await Task.WhenAny(all, tick).ConfigureAwait(false);
            if (!all.IsCompleted) Console.Error.WriteLine($"  populate {o.AE}: {Volatile.Read(ref done)}/{o.Studies} ({Volatile.Read(ref done) / sw.Elapsed.TotalSeconds:0}/s)");
        }
        await all.ConfigureAwait(false);
        Console.Error.WriteLine($"  populate {o.AE}: {done} stored, {failed} failed in {sw.Elapsed.TotalSeconds:0.0} s ({done / sw.Elapsed.TotalSeconds:0}/s){(firstError is null ? "" : "; first failure: " + firstError)}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{done} {failed} {sw.Elapsed.TotalSeconds:0.0}"));
        return failed == 0 ? 0 : 1;
    }

    // ---- findbench -------------------------------------------------------------------------------------------

    private enum QueryKind { PatientId, NameWildcard, DateRange }

    private static DicomDataset MakeQuery(QueryKind kind, Random rng, int studies)
    {
        var q = new DicomDataset();
        q.AddOrUpdate(DicomTags.QueryRetrieveLevel, "STUDY");
        q.AddOrUpdate(DicomTags.StudyInstanceUID, "");
        q.AddOrUpdate(DicomTags.PatientName, "");
        q.AddOrUpdate(DicomTags.PatientID, "");
        q.AddOrUpdate(DicomTags.StudyDate, "");
        q.AddOrUpdate(DicomTags.AccessionNumber, "");
        q.AddOrUpdate(DicomTags.StudyDescription, "");
        q.AddOrUpdate(DicomTags.ModalitiesInStudy, "");
        q.AddOrUpdate(DicomTags.NumberOfStudyRelatedInstances, "");
        int i = rng.Next(studies);
        switch (kind)
        {
            case QueryKind.PatientId:
                q.AddOrUpdate(DicomTags.PatientID, PatientId(i));                    // 2 matches
                break;
            case QueryKind.NameWildcard:
                q.AddOrUpdate(DicomTags.PatientName, PatientName(i)[..^1] + "*");    // 10 patients, 20 matches
                break;
            case QueryKind.DateRange:
                var from = StudyDate(i);
                q.AddOrUpdate(DicomTags.StudyDate, from.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + from.AddDays(6).ToString("yyyyMMdd", CultureInfo.InvariantCulture));
                break;
        }
        return q;
    }

    private static async Task<int> FindBenchAsync(Options o, CancellationToken ct)
    {
        var contexts = new[] { DicomClient.Propose(1, StudyRootFind) };
        await using var client = await DicomClient.ConnectAsync(o.Host, o.Port, "BENCH", o.AE, contexts, cancellationToken: ct).ConfigureAwait(false);
        var kinds = Enum.GetValues<QueryKind>();
        var rng = new Random(42); // same queries against every node
        var times = new Dictionary<QueryKind, List<double>>();
        foreach (var k in kinds) times[k] = [];
        long matches = 0;
        int failures = 0;
        const int warmup = 10;
        for (int n = 0; n < o.Queries + warmup; n++)
        {
            var kind = kinds[n % kinds.Length];
            var query = MakeQuery(kind, rng, o.Studies);
            long start = Stopwatch.GetTimestamp();
            int got = 0;
            DicomStatus last = DicomStatus.Success;
            await foreach (var rsp in client.FindAsync(StudyRootFind, query, ct).ConfigureAwait(false))
            {
                if (rsp.Status.IsPending) got++;
                last = rsp.Status;
            }
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (!last.IsSuccess) failures++;
            if (n < warmup) continue;
            times[kind].Add(ms);
            matches += got;
        }
        await client.ReleaseAsync(ct).ConfigureAwait(false);

        var all = times.Values.SelectMany(t => t).ToList();
        foreach (var k in kinds)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {o.Label} {k,-12}: p50 {Percentile(times[k], 50),7:0.00} ms  p95 {Percentile(times[k], 95),7:0.00} ms  ({times[k].Count} queries)"));
        // Machine-readable line for run.sh: p50 p95 matches failures, then p50/p95 per kind.
        string perKind = string.Join(' ', kinds.Select(k => string.Create(CultureInfo.InvariantCulture, $"{Percentile(times[k], 50):0.00}/{Percentile(times[k], 95):0.00}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Percentile(all, 50):0.00} {Percentile(all, 95):0.00} {matches} {failures} {perKind}"));
        return failures == 0 ? 0 : 1;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    private sealed record Options(string Host, int Port, string AE, int Studies, int Associations, int First, int Queries, string Label)
    {
        public static Options Parse(ReadOnlySpan<string> args)
        {
            var o = new Options("127.0.0.1", 11112, "EDGECANCER", 10_000, 4, 0, 200, "node");
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                string v = args[i + 1];
                o = args[i] switch
                {
                    "--host" => o with { Host = v },
                    "--port" => o with { Port = int.Parse(v, CultureInfo.InvariantCulture) },
                    "--ae" => o with { AE = v },
                    "--studies" => o with { Studies = int.Parse(v, CultureInfo.InvariantCulture) },
                    "--associations" => o with { Associations = Math.Max(1, int.Parse(v, CultureInfo.InvariantCulture)) },
                    "--first" => o with { First = int.Parse(v, CultureInfo.InvariantCulture) },
                    "--queries" => o with { Queries = int.Parse(v, CultureInfo.InvariantCulture) },
                    "--label" => o with { Label = v },
                    _ => throw new ArgumentException($"unknown option '{args[i]}'"),
                };
            }
            return o;
        }
    }
}

/// <summary>
/// Per-image latency of <see cref="Classifier.Predict"/> at batch 1: open the file, decode, preprocess, backbone and
/// heads, exactly what the worker does per image (without the database and the SR). The ResNet18 ONNX has a fixed
/// batch dimension of 1, so there is no batched figure to measure.
/// </summary>
internal static class InferenceBench
{
    private const int Warmup = 5;

    public static int Run(ReadOnlySpan<string> args)
    {
        string? models = null;
        var dirs = new List<string>();
        int n = 100;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--models": models = args[i + 1]; break;
                case "--files": dirs.Add(args[i + 1]); break;
                case "--n": n = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"ingest-tools inference: unknown option '{args[i]}'"); return 2;
            }
        }
        if (models is null || dirs.Count == 0) { Console.Error.WriteLine("ingest-tools inference: --models and --files are required"); return 2; }

        // Up to n files from each folder, spread evenly over the series (so a chest series is not timed on its apex only).
        var files = new List<string>();
        foreach (var dir in dirs)
        {
            var all = Directory.EnumerateFiles(dir, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
            if (all.Length == 0) { Console.Error.WriteLine($"ingest-tools inference: no .dcm files under {dir}"); return 2; }
            int take = Math.Min(n, all.Length);
            for (int k = 0; k < take; k++) files.Add(all[(int)((long)k * all.Length / take)]);
        }

        using var provider = new ActiveModelProvider(new ModelRegistry(models));
        var classifier = new Classifier(provider);
        Console.Error.WriteLine($"  models: {provider.ActiveVersions}");
        for (int w = 0; w < Warmup; w++) classifier.Predict(DicomFile.Open(files[w % files.Count]));

        var byLabel = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        var allTimes = new List<double>();
        int notAnalysed = 0;
        long wall = Stopwatch.GetTimestamp();
        foreach (var path in files)
        {
            long start = Stopwatch.GetTimestamp();
            var prediction = classifier.Predict(DicomFile.Open(path));
            double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            allTimes.Add(ms);
            if (!prediction.Analysed) { notAnalysed++; continue; }
            string label = prediction.For("body-part")?.Label ?? "(no body-part model)";
            if (!byLabel.TryGetValue(label, out var list)) byLabel[label] = list = [];
            list.Add(ms);
        }
        double wallSeconds = Stopwatch.GetElapsedTime(wall).TotalSeconds;

        foreach (var (label, times) in byLabel)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  predicted {label,-8}: p50 {Percentile(times, 50),7:0.0} ms  p95 {Percentile(times, 95),7:0.0} ms  mean {times.Average(),7:0.0} ms  ({times.Count} images)"));
        if (notAnalysed > 0) Console.Error.WriteLine($"  {notAnalysed} images were not analysed");
        Console.Error.WriteLine("  batched: not supported: the ResNet18 ONNX backbone has a fixed batch dimension of 1 (input [1,3,224,224])");
        // Machine-readable line for run.sh: p50 p95 mean images/s count, then label=p50/p95/mean per predicted body part.
        string perLabel = string.Join(' ', byLabel.Select(kv => string.Create(CultureInfo.InvariantCulture,
            $"{kv.Key}={Percentile(kv.Value, 50):0.0}/{Percentile(kv.Value, 95):0.0}/{kv.Value.Average():0.0}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Percentile(allTimes, 50):0.0} {Percentile(allTimes, 95):0.0} {allTimes.Average():0.0} {allTimes.Count / wallSeconds:0.00} {allTimes.Count} {perLabel}"));
        return notAnalysed == 0 ? 0 : 1;
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        double rank = p / 100 * (sorted.Length - 1);
        int lo = (int)Math.Floor(rank), hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
