using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// A thread of one association's receive loop, as DCMTK and storescp have one per association. Work reaches it as
/// continuations posted by <see cref="SwitchTo"/>; while it runs, reads from a <see cref="ReceiveThreadNetworkStream"/>
/// wait in the kernel on this thread (<c>poll(2)</c>), so the peer's data wakes it directly. The pooled asynchronous
/// path wakes the socket engine's epoll thread, which queues the continuation to the thread pool, which wakes a
/// worker (and often a second one): measured on the C-STORE path, 28 % of the node's CPU per image went to those
/// hand-overs (benchmarks/README.md, ingest run F).
/// </summary>
/// <remarks>
/// Code on this thread awaits as usual; a wait that really suspends (a group sync, a lock) resumes on the thread pool,
/// and the receive loop comes back here with <see cref="SwitchTo"/> before it reads again. The thread ends after
/// <see cref="Complete"/>, once the work already posted has run.
/// </remarks>
public sealed class ReceiveThread : IDisposable
{
    private readonly ConcurrentQueue<Action> _work = new();
    // No spinning before it sleeps (SpinCount 0): BlockingCollection's semaphore spun with sched_yield whenever the
    // thread ran out of work, 9,000 calls in one 4-association benchmark run on 2 cores.
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 0);
    private readonly Thread _thread;
    private volatile bool _completed;
    private volatile bool _exited;

    /// <summary>Starts the thread.</summary>
    /// <param name="name">The thread's name (shown by debuggers and <c>top -H</c>).</param>
    public ReceiveThread(string name)
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The thread's name; a connection's thread is named after its peer, then after the calling AE once known.</summary>
    public string? Name
    {
        get => _thread.Name;
        set => _thread.Name = value;
    }

    [ThreadStatic] private static ReceiveThread? t_current;

    /// <summary>True when called on this thread.</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>
    /// The receive thread the caller runs on, or null: code that waits on another thread's work (a group commit) uses
    /// it to come back here instead of continuing on whichever thread completed the work.
    /// </summary>
    public static ReceiveThread? Current => t_current;

    /// <summary>An awaitable that continues on this thread (at once when already on it).</summary>
    public SwitchAwaitable SwitchTo() => new(this, false);

    /// <summary>
    /// An awaitable that continues on this thread after the work posted so far, even when called on it: what runs on
    /// the thread until then goes on (a connection's thread starts the association's receive loop this way and
    /// returns to the code that waits for it).
    /// </summary>
    public SwitchAwaitable Yield() => new(this, true);

    private List<Action>? _idle;

    /// <summary>
    /// Runs <paramref name="action"/> on this thread the next time it would wait: before a read waits for the peer's
    /// data (the peer is busy sending), or before the thread sleeps for want of work. Called on this thread only. Work
    /// that must not wait for that (the peer may keep the socket full) needs its own way to run sooner.
    /// </summary>
    public void WhenIdle(Action action)
    {
        if (!IsCurrent) throw new InvalidOperationException("WhenIdle is called on the receive thread itself.");
        (_idle ??= []).Add(action);
    }

    /// <summary>Runs the work deferred with <see cref="WhenIdle"/>; true when there was any. On this thread only.</summary>
    internal bool RunIdleWork()
    {
        if (_idle is not { Count: > 0 } idle || !IsCurrent) return false;
        // Work deferred while this runs waits for the next idle moment.
        _idle = null;
        foreach (var action in idle) action();
        return true;
    }

    /// <summary>Lets the thread end once the work already posted has run; later work runs on the thread pool.</summary>
    public void Complete()
    {
        _completed = true;
        _signal.Set();
    }

    private void Post(Action continuation)
    {
        _work.Enqueue(continuation);
        _signal.Set();
        // The thread has ended (the association ended): never leave a continuation behind, or its awaiter would wait
        // forever. The thread drains once more after it sets the flag, so the work is taken by one or the other.
        if (_exited) DrainOnThreadPool();
    }

    private void DrainOnThreadPool()
    {
        while (_work.TryDequeue(out var work)) ThreadPool.UnsafeQueueUserWorkItem(static c => c(), work, preferLocal: false);
    }

    private void Run()
    {
        t_current = this;
        while (true)
        {
            while (_work.TryDequeue(out var work)) work();
            if (RunIdleWork()) continue;
            if (_completed) break;
            _signal.Wait();
            _signal.Reset();
        }
        // Posted between the last look and the end: not here any more to run them.
        t_current = null;
        _exited = true;
        DrainOnThreadPool();
    }

    /// <summary>Ends the thread after the posted work (same as <see cref="Complete"/>).</summary>
    public void Dispose() => Complete();

    /// <summary>The awaitable of <see cref="SwitchTo"/> and <see cref="Yield"/>.</summary>
    public readonly struct SwitchAwaitable(ReceiveThread thread, bool always) : ICriticalNotifyCompletion
    {
        /// <summary>Returns itself.</summary>
        public SwitchAwaitable GetAwaiter() => this;

        /// <summary>True when already on the thread (never for <see cref="Yield"/>).</summary>
        public bool IsCompleted => !always && thread.IsCurrent;

        /// <summary>Nothing to return.</summary>
        public void GetResult() { }

        /// <inheritdoc />
        public void OnCompleted(Action continuation) => thread.Post(continuation);

        /// <inheritdoc />
        public void UnsafeOnCompleted(Action continuation) => thread.Post(continuation);
    }
}
