using System.Diagnostics;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>What happened to one file: the peer's status (with its error comment) or why it was not sent.</summary>
public sealed record SendOutcome(SendItem Item, DicomStatus? Status, string? ErrorComment, string? NotSent)
{
    /// <summary>Success or warning.</summary>
    public bool Succeeded => Status is { } s && (s.IsSuccess || s.State == DicomState.Warning);

    /// <summary>The line of the summary this outcome is counted in.</summary>
    public string SummaryKey => Status switch
    {
        { IsSuccess: true } => "Success",
        { } s => ErrorComment is { Length: > 0 } c ? $"{s} \"{c.Trim()}\"" : s.ToString(),
        null => "Not sent: " + NotSent,
    };
}

/// <summary>
/// Progress and summary of <c>edgecancer send</c>: a bar redrawn in place on a terminal, a line every few seconds when
/// the output is a file or pipe, then counts per status and the throughput. Thread-safe (parallel associations report here).
/// </summary>
public sealed class SendReport
{
    private readonly object _gate = new();
    private readonly List<SendOutcome> _outcomes = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly bool _tty;
    private readonly int _total;
    private readonly long _totalBytes;
    private long _doneBytes;
    private TimeSpan _lastDraw;
    private bool _barShown;

    public SendReport(int total, long totalBytes, bool tty)
    {
        _total = total;
        _totalBytes = totalBytes;
        _tty = tty;
    }

    public IReadOnlyList<SendOutcome> Outcomes { get { lock (_gate) return [.. _outcomes]; } }

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Add(SendOutcome outcome)
    {
        lock (_gate)
        {
            _outcomes.Add(outcome);
            _doneBytes += outcome.Item.Length;
            if (!outcome.Succeeded || outcome.Status is { State: DicomState.Warning })
            {
                ClearBar();
                Console.Error.WriteLine($"edgecancer send: {outcome.Item.Path}: {outcome.SummaryKey}");
            }
            Draw(force: _outcomes.Count == _total);
        }
    }

    /// <summary>A message that must not be mangled by the bar.</summary>
    public void Note(string message)
    {
        lock (_gate)
        {
            ClearBar();
            Console.Error.WriteLine(message);
        }
    }

    private void ClearBar()
    {
        if (!_barShown) return;
        Console.Out.Write("\r" + new string(' ', 100) + "\r");
        _barShown = false;
    }

    private void Draw(bool force)
    {
        var now = _clock.Elapsed;
        var interval = _tty ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(2);
        if (!force && now - _lastDraw < interval) return;
        _lastDraw = now;
        int done = _outcomes.Count;
        double secs = Math.Max(now.TotalSeconds, 1e-6);
        string rate = ScuOutput.Invariant($"{done / secs:0.0} files/s, {_doneBytes / 1e6 / secs:0.0} MB/s");
        if (_tty)
        {
            const int width = 30;
            int filled = _total == 0 ? width : (int)((long)width * done / _total);
            Console.Out.Write(ScuOutput.Invariant($"\r[{new string('#', filled)}{new string('-', width - filled)}] {done}/{_total} files, {_doneBytes / 1e6:0.0}/{_totalBytes / 1e6:0.0} MB, {rate}  "));
            _barShown = true;
        }
        else if (!force)
        {
            Console.Out.WriteLine(ScuOutput.Invariant($"{done}/{_total} files sent ({_doneBytes / 1e6:0.0}/{_totalBytes / 1e6:0.0} MB), {rate}"));
        }
    }

    /// <summary>Counts per status, then files/s and MB/s.</summary>
    public void PrintSummary(string destination, int associations, IReadOnlyList<SkippedFile> skipped)
    {
        lock (_gate)
        {
            ClearBar();
            var elapsed = _clock.Elapsed;
            double secs = Math.Max(elapsed.TotalSeconds, 1e-6);
            var answered = _outcomes.Where(o => o.Status is not null).ToList();
            long bytes = answered.Sum(o => o.Item.Length);
            Console.Out.WriteLine(ScuOutput.Invariant(
                $"Sent {answered.Count} of {_total} files ({bytes / 1e6:0.00} MB) to {destination} in {elapsed.TotalSeconds:0.00} s: {answered.Count / secs:0.0} files/s, {bytes / 1e6 / secs:0.00} MB/s, {associations} association(s) in parallel"));
            foreach (var group in _outcomes.GroupBy(o => o.SummaryKey).OrderBy(g => g.First().Status is { IsSuccess: true } ? 0 : g.First().Status is { State: DicomState.Warning } ? 1 : g.First().Status is not null ? 2 : 3).ThenBy(g => g.Key, StringComparer.Ordinal))
                Console.Out.WriteLine($"  {group.Key}: {group.Count()}");
            if (skipped.Count > 0)
                Console.Out.WriteLine($"  Skipped (not DICOM or unreadable): {skipped.Count}");
        }
    }
}
