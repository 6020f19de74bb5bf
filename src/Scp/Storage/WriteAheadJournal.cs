using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace EdgeCancer.Scp.Storage;

/// <summary>
/// The ingest journal of durable mode: one preallocated file, used as a ring, to which every received instance is
/// appended as a record before its success is sent — in write-once mode an intent record naming the staged file and
/// its final place (with the file's length and CRC-32C), made durable together with the staged file by one
/// <c>syncfs</c>; in data mode a record carrying the Part 10 bytes, made durable by one <c>fdatasync</c> of the
/// journal. Either sync is shared by every record appended meanwhile (group commit across associations); the rename
/// and the index row are then written without any sync. <see cref="CheckpointAsync"/> (in the
/// background) makes the materialised files and rows durable with one <c>syncfs</c> and one index sync, then retires
/// the records. At start, <see cref="ReadUnretired"/> yields the records not yet retired, which recovery replays.
/// The durability argument is in docs/archive.md ("Durable mode: the ingest journal").
/// </summary>
public sealed class WriteAheadJournal : IAsyncDisposable
{
    // Layout: two 512-byte control slots (the checkpoint, written alternately so a torn write leaves the other), then
    // the ring of records from DataStart. Records never wrap: one that does not fit before the end starts the next lap.
    private const int SlotSize = 512;
    private const long DataStart = 4096;
    private const uint ControlMagic = 0x434A4345; // "ECJC"
    private const uint RecordMagic = 0x524A4345;  // "ECJR"
    internal const int HeaderSize = 48;
    private const int CopyChunk = 1 << 20;

    /// <summary>Record kinds.</summary>
    internal enum RecordKind : uint { Instance = 1, Cancel = 2, Intent = 3 }

    // Intent payload: file length (8), file CRC-32C (4), staged path length (2), final path length (2), then both
    // paths (UTF-8, relative to the store root).
    private const int IntentFixed = 16;

    private readonly SafeFileHandle _handle;
    private readonly long _capacity;
    private readonly string _storeRoot;
    private readonly Func<CancellationToken, Task> _syncIndex;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly SemaphoreSlim _checkpointLock = new(1, 1);
    // Group commit (see WaitDurableAsync): records up to _writtenSeq are in the page cache, up to _durableSeq on disk.
    private readonly object _syncGate = new();
    private long _writtenSeq;
    private long _intentSeq;
    private long _durableSeq;
    private bool _syncing;
    private TaskCompletionSource _syncDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _journalOnStoreFileSystem;
    private readonly SortedSet<long> _inFlight = []; // virtual offsets of records appended and not yet materialised
    private TaskCompletionSource _spaceFreed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<bool> _checkpointRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private long _head;       // next virtual offset
    private long _nextSeq;
    private long _tail;       // virtual offset of the oldest unretired record
    private long _tailSeq;
    private long _generation; // of the control slot last written
    private readonly IReadOnlyList<JournalRecord> _unretired;
    private readonly TaskCompletionSource _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _renumberedFrom;

    /// <param name="path">The journal file (created and preallocated when missing).</param>
    /// <param name="sizeBytes">Its size; records larger than a quarter of it are not journalled.</param>
    /// <param name="storeRoot">Root of the file store (the file system a checkpoint syncs).</param>
    /// <param name="syncIndex">Makes every committed index transaction durable (a checkpoint's second step).</param>
    public WriteAheadJournal(string path, long sizeBytes, string storeRoot, Func<CancellationToken, Task> syncIndex, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeBytes, DataStart + (1L << 20));
        _logger = logger ?? NullLogger.Instance;
        _storeRoot = storeRoot;
        _syncIndex = syncIndex;
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(folder);
        bool created = !File.Exists(Path);
        // FileShare.None takes an exclusive advisory lock: a second process on the same data folder cannot append.
        _handle = File.OpenHandle(Path, created ? FileMode.CreateNew : FileMode.Open, FileAccess.ReadWrite, FileShare.None,
            FileOptions.None, created ? sizeBytes : 0);
        long length = RandomAccess.GetLength(_handle);
        if (created || length < sizeBytes)
        {
            // Write the whole ring once so that later appends overwrite allocated blocks (fdatasync then syncs data only).
            var zeros = new byte[CopyChunk];
            for (long o = length; o < sizeBytes; o += zeros.Length)
                RandomAccess.Write(_handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, sizeBytes - o)), o);
            NativeSync.SyncFile(_handle);
            NativeSync.SyncDirectory(folder);
            length = sizeBytes;
        }
        _capacity = length - DataStart;
        _journalOnStoreFileSystem = NativeSync.SameFileSystem(folder, storeRoot);
        ReadControl();
        _head = _tail;
        _nextSeq = _tailSeq;
        // Find the unretired records now, so that nothing is ever appended over them. With none, the journal is open
        // for appends at once (after recording the new numbering); with some, appends wait until recovery has
        // replayed them and its checkpoint has retired them (the worker role may store before the DICOM role replays).
        _unretired = Scan();
        _renumberedFrom = _nextSeq;
        if (_unretired.Count == 0)
        {
            WriteControl(_head, _nextSeq);
            _tail = _head;
            _tailSeq = _nextSeq;
            _recovered.TrySetResult();
        }
        else
        {
            // Until recovery has stored them again, no checkpoint may retire them.
            _inFlight.Add(_tail);
        }
        _writtenSeq = _durableSeq = _intentSeq = _nextSeq - 1;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>Largest Part 10 file that is journalled; larger ones are stored with their own fsync and a checkpoint.</summary>
    public long MaxPayloadBytes => _capacity / 4 - HeaderSize;

    /// <summary>Bytes of records not yet retired by a checkpoint.</summary>
    public long UsedBytes { get { lock (_lock) return _head - _tail; } }

    /// <summary>Completes when a checkpoint is asked for (journal half full) — the checkpointer's wake-up.</summary>
    public ValueTask<bool> WaitForCheckpointRequestAsync(CancellationToken ct) => _checkpointRequests.Reader.WaitToReadAsync(ct);

    /// <summary>
    /// Appends the Part 10 file at <paramref name="partFile"/> (<paramref name="length"/> bytes) as a record and
    /// returns when it is durable. Release the ticket with <see cref="Materialized"/> once the store file and index row
    /// are written, or with <see cref="CancelAsync"/> if the instance was refused after all.
    /// </summary>
    public async Task<JournalTicket> AppendAsync(string partFile, long length, CancellationToken ct)
    {
        using var source = File.OpenHandle(partFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await AppendAsync(source, length, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// As <see cref="AppendAsync(string, long, CancellationToken)"/>, from an open, readable handle of the staged file
    /// (the C-STORE path: no reopen per instance). The handle stays open; the bytes are read with <c>pread</c>.
    /// </summary>
    public async Task<JournalTicket> AppendAsync(SafeFileHandle source, long length, CancellationToken ct)
    {
        long recordLength = HeaderSize + length;
        if (length > MaxPayloadBytes) throw new ArgumentOutOfRangeException(nameof(length), $"{length} bytes is more than the journal's record limit ({MaxPayloadBytes})");
        JournalTicket ticket;
        await _recovered.Task.WaitAsync(ct).ConfigureAwait(false);
        await _appendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            long start = await ReserveAsync(recordLength, ct).ConfigureAwait(false);
            long seq = _nextSeq;
            // Written under the append lock, so records reach the page cache in sequence order: a sync that covers a
            // record also covers every earlier one, and replay (which stops at the first invalid record) loses nothing acknowledged.
            WriteRecord(start, seq, RecordKind.Instance, 0, source, length);
            ticket = Appended(start, recordLength, seq, intent: false);
        }
        finally { _appendLock.Release(); }
        return await DurableAsync(ticket, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Write-once durable mode: appends an intent record naming a staged file (<paramref name="stagedPath"/>, already
    /// written, not synced) and its final place (<paramref name="finalPath"/>), both relative to the store root, with
    /// the file's length and CRC-32C, and returns when both the record and the staged file are durable: the group
    /// commit of such records is one <c>syncfs</c> of the store's file system (the staged files' data and names, and
    /// the journal when it lives there; otherwise an <c>fdatasync</c> of the journal as well). The bytes are written
    /// once, to the staged file. Release the ticket as for <see cref="AppendAsync(SafeFileHandle, long, CancellationToken)"/>.
    /// </summary>
    public async Task<JournalTicket> AppendIntentAsync(string stagedPath, string finalPath, long length, uint crc, CancellationToken ct)
    {
        var staged = System.Text.Encoding.UTF8.GetBytes(stagedPath);
        var final = System.Text.Encoding.UTF8.GetBytes(finalPath);
        if (staged.Length > ushort.MaxValue || final.Length > ushort.MaxValue) throw new ArgumentException("Path too long for an intent record.");
        var payload = new byte[IntentFixed + staged.Length + final.Length];
        BinaryPrimitives.WriteInt64LittleEndian(payload, length);
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(8), crc);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(12), (ushort)staged.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(payload.AsSpan(14), (ushort)final.Length);
        staged.CopyTo(payload, IntentFixed);
        final.CopyTo(payload, IntentFixed + staged.Length);
        long recordLength = HeaderSize + payload.Length;
        JournalTicket ticket;
        await _recovered.Task.WaitAsync(ct).ConfigureAwait(false);
        await _appendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            long start = await ReserveAsync(recordLength, ct).ConfigureAwait(false);
            long seq = _nextSeq;
            WriteSmallRecord(start, seq, RecordKind.Intent, 0, payload);
            ticket = Appended(start, recordLength, seq, intent: true);
        }
        finally { _appendLock.Release(); }
        return await DurableAsync(ticket, ct).ConfigureAwait(false);
    }

    /// <summary>Moves the head past a record just written (under the append lock) and makes its ticket.</summary>
    private JournalTicket Appended(long start, long recordLength, long seq, bool intent)
    {
        lock (_lock)
        {
            _head = start + recordLength;
            _nextSeq = seq + 1;
            _inFlight.Add(start);
        }
        Written(seq, intent);
        return new JournalTicket(start, seq);
    }

    /// <summary>Waits for the group commit covering <paramref name="ticket"/>; on failure the record is released.</summary>
    private async Task<JournalTicket> DurableAsync(JournalTicket ticket, CancellationToken ct)
    {
        if (UsedBytes > _capacity / 2) _checkpointRequests.Writer.TryWrite(true);
        try
        {
            await WaitDurableAsync(ticket.Seq, ct).ConfigureAwait(false);
        }
        catch
        {
            Materialized(ticket);
            throw;
        }
        return ticket;
    }

    /// <summary>The record's instance is in the store and the index (not yet durably): a checkpoint may retire it.</summary>
    public void Materialized(JournalTicket ticket)
    {
        lock (_lock) _inFlight.Remove(ticket.VirtualOffset);
    }

    /// <summary>
    /// The record's instance was refused after it was journalled (e.g. the index failed): appends a cancel record
    /// (made durable with the next group sync) so that replay skips it, and releases the ticket.
    /// </summary>
    public async Task CancelAsync(JournalTicket ticket, CancellationToken ct)
    {
        // Released first: a checkpoint may then retire the record, which also keeps it from replay; the cancel record
        // covers the case where no checkpoint runs before a crash.
        Materialized(ticket);
        await _appendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            long start = await ReserveAsync(HeaderSize, ct).ConfigureAwait(false);
            long seq = _nextSeq;
            WriteRecord(start, seq, RecordKind.Cancel, ticket.Seq, null, 0);
            lock (_lock)
            {
                _head = start + HeaderSize;
                _nextSeq = seq + 1;
            }
            Written(seq, intent: false);
        }
        finally { _appendLock.Release(); }
    }

    private async Task<long> ReserveAsync(long recordLength, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                long start = _head;
                long inLap = start % _capacity;
                if (inLap + recordLength > _capacity) start += _capacity - inLap;
                if (start + recordLength - _tail <= _capacity) return start;
                wait = _spaceFreed.Task;
            }
            // Full: every record is unretired. Ask for a checkpoint and wait for it.
            _checkpointRequests.Writer.TryWrite(true);
            await wait.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private void WriteRecord(long start, long seq, RecordKind kind, long cancelledSeq, SafeFileHandle? source, long length)
    {
        long phys = DataStart + start % _capacity;
        Span<byte> header = stackalloc byte[HeaderSize];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, RecordMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], (ulong)(HeaderSize + length));
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)kind);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], cancelledSeq);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        uint crc = Crc32C.Append(0, header[..40]);
        if (source is not null)
        {
            var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(CopyChunk, Math.Max(length, 1)));
            try
            {
                for (long done = 0; done < length;)
                {
                    int n = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), done);
                    if (n <= 0) throw new IOException($"The staged file ended after {done} of {length} bytes.");
                    crc = Crc32C.Append(crc, buffer.AsSpan(0, n));
                    RandomAccess.Write(_handle, buffer.AsSpan(0, n), phys + HeaderSize + done);
                    done += n;
                }
            }
            finally { ArrayPool<byte>.Shared.Return(buffer); }
        }
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], crc);
        RandomAccess.Write(_handle, header, phys);
    }

    // Header and a small payload in one write (intent records).
    private void WriteSmallRecord(long start, long seq, RecordKind kind, long cancelledSeq, ReadOnlySpan<byte> payload)
    {
        long phys = DataStart + start % _capacity;
        var record = new byte[HeaderSize + payload.Length];
        var header = record.AsSpan(0, HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, RecordMagic);
        BinaryPrimitives.WriteUInt64LittleEndian(header[4..], (ulong)record.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[12..], seq);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)kind);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], cancelledSeq);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        payload.CopyTo(record.AsSpan(HeaderSize));
        uint crc = Crc32C.Append(Crc32C.Append(0, header[..40]), payload);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], crc);
        RandomAccess.Write(_handle, record, phys);
    }

    // Called under the append lock, right after a record reached the page cache (so in sequence order).
    private void Written(long seq, bool intent)
    {
        lock (_syncGate)
        {
            _writtenSeq = seq;
            if (intent) _intentSeq = seq;
        }
    }

    // Group commit, led by a waiter: one sync covers every record written before it started — an fdatasync of the
    // journal, or, when an intent record is among them, a syncfs of the store's file system (the staged files, their
    // names and, usually, the journal). The first waiter that finds no sync running runs one itself, on its own thread
    // (so a lone association never waits for another thread to be scheduled); those that arrive meanwhile wait for it
    // and, if it started before their record was written, the first of them to wake leads the next one.
    private async Task WaitDurableAsync(long seq, CancellationToken ct)
    {
        while (true)
        {
            Task running = Task.CompletedTask;
            long target = 0;
            bool lead = false, syncStore = false;
            TaskCompletionSource? done = null;
            lock (_syncGate)
            {
                if (_durableSeq >= seq) return;
                if (_syncing) running = _syncDone.Task;
                else
                {
                    lead = _syncing = true;
                    target = _writtenSeq;
                    syncStore = _intentSeq > _durableSeq;
                    done = _syncDone;
                }
            }
            if (!lead)
            {
                // A failed sync fails its waiters: no success is sent for a record that may not be durable.
                await running.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            try
            {
                if (syncStore) NativeSync.SyncFileSystem(_storeRoot);
                if (!syncStore || !_journalOnStoreFileSystem) NativeSync.DataSync(_handle);
            }
            catch (Exception ex)
            {
                if (ex is IOException) StorageLog.JournalSyncFailed(_logger, ex, Path);
                lock (_syncGate)
                {
                    _syncing = false;
                    _syncDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
                done!.TrySetException(ex);
                throw;
            }
            lock (_syncGate)
            {
                _durableSeq = Math.Max(_durableSeq, target);
                _syncing = false;
                _syncDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            done!.TrySetResult();
        }
    }

    /// <summary>
    /// Makes everything materialised so far durable (<c>syncfs</c> of the store's file system, then the index sync)
    /// and retires the journal records it covers. Returns the number of bytes retired.
    /// </summary>
    /// <param name="force">Sync even when no record waits (an instance too large for the journal was just stored).</param>
    public async Task<long> CheckpointAsync(CancellationToken ct, bool force = false)
    {
        await _checkpointLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            long retireTo, retireSeq;
            lock (_lock)
            {
                // Records still in flight (journalled, not yet renamed and indexed) stay: their files are not written yet.
                retireTo = _inFlight.Count > 0 ? _inFlight.Min : _head;
                retireSeq = _inFlight.Count > 0 ? -1 : _nextSeq;
            }
            if (retireSeq < 0) retireSeq = retireTo == _tail ? _tailSeq : SeqAt(retireTo);
            bool moves = retireTo != _tail || retireSeq != _tailSeq;
            if (!moves && !force) return 0;
            await Task.Run(() => NativeSync.SyncFileSystem(_storeRoot), ct).ConfigureAwait(false);
            await _syncIndex(ct).ConfigureAwait(false);
            if (moves) WriteControl(retireTo, retireSeq);
            long retired;
            TaskCompletionSource freed;
            lock (_lock)
            {
                retired = retireTo - _tail;
                _tail = retireTo;
                _tailSeq = retireSeq;
                freed = _spaceFreed;
                _spaceFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            while (_checkpointRequests.Reader.TryRead(out _)) { }
            freed.TrySetResult();
            // The control block now carries the new numbering: appends may start (see the constructor).
            if (retireSeq >= _renumberedFrom) _recovered.TrySetResult();
            StorageLog.JournalCheckpoint(_logger, retired);
            return retired;
        }
        finally { _checkpointLock.Release(); }
    }

    /// <summary>True when records were appended since the last checkpoint.</summary>
    public bool HasUnretired { get { lock (_lock) return _head != _tail; } }

    private long SeqAt(long virtualOffset)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        RandomAccess.Read(_handle, header, DataStart + virtualOffset % _capacity);
        return BinaryPrimitives.ReadInt64LittleEndian(header[12..]);
    }

    /// <summary>
    /// The unretired records, oldest first (recovery at start, before anything is appended): instance records with
    /// their sequence number and a reader over the Part 10 bytes; instances cancelled later are left out.
    /// Reading stops at the first record that is missing, torn (CRC mismatch) or from an older lap.
    /// </summary>
    public IReadOnlyList<JournalRecord> ReadUnretired() => _unretired;

    /// <summary>
    /// Recovery has stored every record of <see cref="ReadUnretired"/> again: the next checkpoint may retire them, and
    /// once it has, appends (which wait until then) proceed.
    /// </summary>
    public void RecoveryReplayed()
    {
        lock (_lock) _inFlight.Remove(_tail);
    }

    private List<JournalRecord> Scan()
    {
        var records = new List<JournalRecord>();
        var cancelled = new HashSet<long>();
        long v = _tail, seq = _tailSeq;
        Span<byte> header = stackalloc byte[HeaderSize];
        while (v - _tail < _capacity)
        {
            long nextLap = v + (_capacity - v % _capacity);
            bool found = TryReadHeader(v, seq, header, out var kind, out var length, out var cancelledSeq);
            // A record that did not fit before the end of the ring starts the next lap.
            if (!found && v % _capacity != 0 && TryReadHeader(nextLap, seq, header, out kind, out length, out cancelledSeq))
            {
                found = true;
                v = nextLap;
            }
            if (found)
            {
                if (!PayloadMatches(v, header, length)) break;
                if (kind == RecordKind.Cancel) cancelled.Add(cancelledSeq);
                else if (kind == RecordKind.Intent) records.Add(ReadIntent(seq, DataStart + v % _capacity + HeaderSize, length - HeaderSize));
                else records.Add(new JournalRecord(this, seq, DataStart + v % _capacity + HeaderSize, length - HeaderSize));
                v += length;
                seq++;
            }
            else break;
        }
        lock (_lock)
        {
            _head = v;
            // Beyond the last valid record the ring may still hold records that were written but never synced (so
            // never acknowledged). New records take sequence numbers far from theirs, so a later replay cannot
            // mistake one of them for the continuation; the checkpoint that ends recovery records the new numbering.
            _nextSeq = seq + (1L << 32);
        }
        var replay = records.Where(r => !cancelled.Contains(r.Seq)).ToList();
        if (replay.Count > 0) StorageLog.JournalReplaying(_logger, replay.Count, Path);
        return replay;
    }

    private JournalRecord ReadIntent(long seq, long physicalOffset, long payloadLength)
    {
        var payload = new byte[payloadLength];
        RandomAccess.Read(_handle, payload, physicalOffset);
        long length = BinaryPrimitives.ReadInt64LittleEndian(payload);
        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8));
        int stagedLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(12));
        int finalLength = BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(14));
        var staged = System.Text.Encoding.UTF8.GetString(payload, IntentFixed, stagedLength);
        var final = System.Text.Encoding.UTF8.GetString(payload, IntentFixed + stagedLength, finalLength);
        return new JournalRecord(this, seq, -1, length) { StagedPath = staged, FinalPath = final, FileCrc = crc };
    }

    private bool TryReadHeader(long v, long expectedSeq, Span<byte> header, out RecordKind kind, out long length, out long cancelledSeq)
    {
        kind = 0; length = 0; cancelledSeq = 0;
        if (v % _capacity + HeaderSize > _capacity) return false;
        if (RandomAccess.Read(_handle, header, DataStart + v % _capacity) != HeaderSize) return false;
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != RecordMagic) return false;
        if (BinaryPrimitives.ReadInt64LittleEndian(header[12..]) != expectedSeq) return false;
        length = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[4..]);
        if (length < HeaderSize || v % _capacity + length > _capacity) return false;
        kind = (RecordKind)BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        cancelledSeq = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        return kind is RecordKind.Instance or RecordKind.Cancel or RecordKind.Intent;
    }

    private bool PayloadMatches(long v, ReadOnlySpan<byte> header, long length)
    {
        uint crc = Crc32C.Append(0, header[..40]);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            long phys = DataStart + v % _capacity + HeaderSize;
            for (long done = 0; done < length - HeaderSize;)
            {
                int n = RandomAccess.Read(_handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - HeaderSize - done)), phys + done);
                if (n <= 0) return false;
                crc = Crc32C.Append(crc, buffer.AsSpan(0, n));
                done += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        return crc == BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
    }

    /// <summary>Copies a record's payload to <paramref name="destination"/> (replay).</summary>
    internal void CopyPayload(long physicalOffset, long length, Stream destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyChunk);
        try
        {
            for (long done = 0; done < length;)
            {
                int n = RandomAccess.Read(_handle, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)), physicalOffset + done);
                if (n <= 0) throw new IOException("The journal ended inside a record.");
                destination.Write(buffer, 0, n);
                done += n;
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }

    private void ReadControl()
    {
        Span<byte> slot = stackalloc byte[SlotSize];
        long bestGen = -1;
        for (int i = 0; i < 2; i++)
        {
            if (RandomAccess.Read(_handle, slot, i * SlotSize) != SlotSize) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != ControlMagic) continue;
            if (Crc32C.Append(0, slot[..36]) != BinaryPrimitives.ReadUInt32LittleEndian(slot[36..])) continue;
            long gen = BinaryPrimitives.ReadInt64LittleEndian(slot[4..]);
            if (gen <= bestGen) continue;
            bestGen = gen;
            _tail = BinaryPrimitives.ReadInt64LittleEndian(slot[12..]);
            _tailSeq = BinaryPrimitives.ReadInt64LittleEndian(slot[20..]);
            long capacity = BinaryPrimitives.ReadInt64LittleEndian(slot[28..]);
            if (capacity != _capacity)
                throw new InvalidOperationException($"The ingest journal {Path} was made with another size ({capacity + DataStart} bytes); restore Storage:JournalSizeBytes, or stop the node cleanly and delete the file.");
        }
        _generation = Math.Max(bestGen, 0);
        if (bestGen < 0)
        {
            _tail = 0;
            _tailSeq = 1;
            WriteControl(0, 1);
        }
    }

    private void WriteControl(long tail, long tailSeq)
    {
        Span<byte> slot = stackalloc byte[SlotSize];
        slot.Clear();
        long gen = ++_generation;
        BinaryPrimitives.WriteUInt32LittleEndian(slot, ControlMagic);
        BinaryPrimitives.WriteInt64LittleEndian(slot[4..], gen);
        BinaryPrimitives.WriteInt64LittleEndian(slot[12..], tail);
        BinaryPrimitives.WriteInt64LittleEndian(slot[20..], tailSeq);
        BinaryPrimitives.WriteInt64LittleEndian(slot[28..], _capacity);
        BinaryPrimitives.WriteUInt32LittleEndian(slot[36..], Crc32C.Append(0, slot[..36]));
        RandomAccess.Write(_handle, slot, (gen % 2) * SlotSize);
        NativeSync.DataSync(_handle);
    }

    public ValueTask DisposeAsync()
    {
        // Waiters lead their own syncs (no background loop to stop); the handle's reference count keeps a sync that is
        // still running safe.
        _handle.Dispose();
        _appendLock.Dispose();
        _checkpointLock.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>A journalled record that is durable; release it once its instance is materialised.</summary>
public readonly record struct JournalTicket(long VirtualOffset, long Seq);

/// <summary>An unretired instance record found at start.</summary>
public sealed class JournalRecord
{
    private readonly WriteAheadJournal _journal;
    private readonly long _offset;

    internal JournalRecord(WriteAheadJournal journal, long seq, long physicalOffset, long length)
    {
        _journal = journal;
        Seq = seq;
        _offset = physicalOffset;
        Length = length;
    }

    public long Seq { get; }

    /// <summary>Bytes of the Part 10 file.</summary>
    public long Length { get; }

    /// <summary>
    /// True for an intent record (write-once durable mode): the bytes are not in the journal but in the staged file
    /// <see cref="StagedPath"/> or, once renamed, at <see cref="FinalPath"/>; <see cref="FileCrc"/> tells which holds them.
    /// </summary>
    public bool IsIntent => StagedPath is not null;

    /// <summary>Intent record: the staged file, relative to the store root.</summary>
    public string? StagedPath { get; init; }

    /// <summary>Intent record: the final place, relative to the store root.</summary>
    public string? FinalPath { get; init; }

    /// <summary>Intent record: CRC-32C of the file's bytes.</summary>
    public uint FileCrc { get; init; }

    /// <summary>Writes the Part 10 file to <paramref name="destination"/> (a record that carries the bytes).</summary>
    public void CopyTo(Stream destination)
    {
        if (IsIntent) throw new InvalidOperationException("An intent record does not carry the file's bytes.");
        _journal.CopyPayload(_offset, Length, destination);
    }
}

/// <summary>Journal settings derived from <see cref="FileStoreOptions"/>.</summary>
public static class JournalFactory
{
    /// <summary>Opens the journal configured in <paramref name="options"/> (or null when durable mode does not use one).</summary>
    public static WriteAheadJournal? Open(IOptions<FileStoreOptions> options, Func<CancellationToken, Task> syncIndex, ILogger? logger)
    {
        var o = options.Value;
        if (!o.Journal || o.FastMode) return null;
        var root = System.IO.Path.GetFullPath(o.Root);
        Directory.CreateDirectory(root);
        var path = o.JournalPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(root)!, "journal", "ingest.journal");
        return new WriteAheadJournal(path, o.JournalSizeBytes, root, syncIndex, logger);
    }
}
