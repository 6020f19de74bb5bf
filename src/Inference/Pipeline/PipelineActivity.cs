namespace EdgeCancer.Inference.Pipeline;

/// <summary>
/// What the on-arrival workers of this process are doing, so that background work (heatmaps) runs only while they
/// are idle and pauses as soon as images arrive. One instance per node process (a DI singleton).
/// </summary>
public sealed class PipelineActivity
{
    private readonly Lock _gate = new();
    private int _busy;
    private TaskCompletionSource _idle = NewIdle(completed: true);

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed) tcs.SetResult();
        return tcs;
    }

    /// <summary>True while on-arrival work is claimed or being processed.</summary>
    public bool IsBusy { get { lock (_gate) return _busy > 0; } }

    /// <summary>Marks work as started; dispose the result when it is finished.</summary>
    public IDisposable Begin()
    {
        lock (_gate)
        {
            if (_busy++ == 0) _idle = NewIdle(completed: false);
        }
        return new Scope(this);
    }

    private void End()
    {
        TaskCompletionSource? release = null;
        lock (_gate)
        {
            if (--_busy == 0) release = _idle;
        }
        release?.TrySetResult();
    }

    /// <summary>Completes when no on-arrival work is in progress.</summary>
    public Task WhenIdleAsync(CancellationToken ct)
    {
        Task idle;
        lock (_gate) idle = _idle.Task;
        return idle.WaitAsync(ct);
    }

    /// <summary>Blocks the calling (background, CPU-bound) thread until no on-arrival work is in progress.</summary>
    public void WaitUntilIdle(CancellationToken ct)
    {
        while (true)
        {
            Task idle;
            lock (_gate) idle = _idle.Task;
            if (idle.IsCompleted) return;
            try { idle.Wait(ct); } catch (AggregateException) { }
            ct.ThrowIfCancellationRequested();
        }
    }

    private sealed class Scope(PipelineActivity owner) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.End();
        }
    }
}
