using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// Stores instances made or uploaded inside the node (AI reports, browser uploads) through the same path as C-STORE:
/// staged <c>.part</c>, header checked, fsync, rename inside the index transaction. The result is indexed, queryable
/// and retrievable like any received instance.
/// </summary>
public sealed class ArchiveWriter(FileStore store, IArchiveIndex index, ArchiveServiceOptions options)
{
    /// <summary>Stores a dataset (File Meta is generated; Explicit VR Little Endian unless the file says otherwise).</summary>
    public async Task<(DicomOutcome Outcome, StoreResult? Result, string? RelativePath)> StoreAsync(DicomFile file, bool? enqueueWork = null, CancellationToken ct = default)
    {
        if (!file.FileMetaInfo.Contains(DicomTags.TransferSyntaxUID)) file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian, options.AETitle);
        else file.EnsureFileMetaInfo(null, options.AETitle);
        var begin = store.BeginIncoming();
        if (begin.Write is null) return (new DicomOutcome(DicomStatus.OutOfResources, begin.Message), null, null);
        await using var pending = begin.Write;
        using (var buffer = new MemoryStream())
        {
            file.Save(buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(pending.Stream, ct).ConfigureAwait(false);
        }
        return await CommitStagedAsync(pending, null, null, enqueueWork, ct).ConfigureAwait(false);
    }

    /// <summary>Stores a Part 10 stream (e.g. an upload) after validating it; nothing is kept when it is refused.</summary>
    public async Task<(DicomOutcome Outcome, StoreResult? Result, string? RelativePath)> StoreAsync(Stream part10, long maxBytes, bool? enqueueWork = null, CancellationToken ct = default)
    {
        var begin = store.BeginIncoming();
        if (begin.Write is null) return (new DicomOutcome(DicomStatus.OutOfResources, begin.Message), null, null);
        await using var pending = begin.Write;
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = await part10.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > maxBytes) return (new DicomOutcome(DicomStatus.OutOfResources, $"The file is larger than the {maxBytes / (1024 * 1024)} MiB limit"), null, null);
            await pending.Stream.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        return await CommitStagedAsync(pending, null, null, enqueueWork, ct).ConfigureAwait(false);
    }

    // The staged file's first bytes are kept in memory (StagingStream), so the preamble check and, for a header that
    // fits in them (every CT/MR slice in practice), the header parse do not reopen and reread the file.
    private static bool HasPart10Prefix(PendingFile pending)
    {
        var head = pending.Prefix;
        return head.Length >= 132 && head[128..132].SequenceEqual("DICM"u8);
    }

    private static unsafe DicomFile ReadHeader(PendingFile pending)
    {
        var options = DicomReaderOptions.Default with { StopAtTag = DicomTags.PixelData };
        bool whole = pending.PrefixIsWholeFile;
        try
        {
            // Read in place (the prefix ends after the element header of Pixel Data: no copy of it per instance); the parsed
            // header holds copies of its values, not references into the prefix.
            var bytes = pending.Prefix;
            DicomFile header;
            fixed (byte* at = bytes)
            {
                using var prefix = new UnmanagedMemoryStream(at, bytes.Length);
                header = DicomFile.Open(prefix, options);
            }
            // Stopped at Pixel Data inside the prefix, or the prefix is the whole file: that is the header.
            if (whole || header.IsHeaderOnly) return header;
        }
        catch (DicomReadException) when (!whole)
        {
            // The header runs past the prefix: read it from the file.
        }
        return DicomFile.OpenHeader(pending.PartPath);
    }

    /// <summary>
    /// Checks a staged Part 10 file (readable header, UIDs valid and equal to <paramref name="expectedSopInstance"/> /
    /// <paramref name="expectedSopClass"/> when given) and commits it inside the index transaction.
    /// </summary>
    public Task<(DicomOutcome Outcome, StoreResult? Result, string? RelativePath)> CommitStagedAsync(PendingFile pending, string? expectedSopInstance, string? expectedSopClass, bool? enqueueWork, CancellationToken ct) =>
        CommitStagedAsync(pending, expectedSopInstance, expectedSopClass, enqueueWork, replaying: false, ct);

    private async Task<(DicomOutcome Outcome, StoreResult? Result, string? RelativePath)> CommitStagedAsync(PendingFile pending, string? expectedSopInstance,
        string? expectedSopClass, bool? enqueueWork, bool replaying, CancellationToken ct)
    {
        await pending.FlushToDiskAsync(ct).ConfigureAwait(false);
        if (!HasPart10Prefix(pending))
            return (new DicomOutcome(DicomStatus.UnableToProcess, "Not a DICOM Part 10 file (no DICM prefix after the preamble)"), null, null);
        DicomFile header;
        try
        {
            header = ReadHeader(pending);
        }
        catch (DicomReadException ex)
        {
            return (new DicomOutcome(DicomStatus.UnableToProcess, "Cannot understand the data set: " + ex.Reason), null, null);
        }
        if (header.HadNoMeta) return (new DicomOutcome(DicomStatus.UnableToProcess, "Not a DICOM Part 10 file (no file meta information)"), null, null);
        var ds = header.Dataset;
        var sopInstance = ds.TryGetString(DicomTags.SOPInstanceUID, out var si) ? si : "";
        var sopClass = ds.TryGetString(DicomTags.SOPClassUID, out var sc) ? sc : "";
        if (sopClass.Length == 0 || sopInstance.Length == 0)
            return (new DicomOutcome(DicomStatus.MissingAttribute, "SOP Class UID or SOP Instance UID missing"), null, null);
        if (expectedSopInstance is not null && sopInstance != expectedSopInstance)
            return (new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, $"SOP Instance UID in data set '{sopInstance}' differs from the command's"), null, null);
        if (expectedSopClass is not null && sopClass != expectedSopClass)
            return (new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, $"SOP Class UID in data set '{sopClass}' differs from the command's"), null, null);
        var study = ds.TryGetString(DicomTags.StudyInstanceUID, out var st) ? st : null;
        var series = ds.TryGetString(DicomTags.SeriesInstanceUID, out var se) ? se : null;
        if (store.AssignDestination(pending, study, series, sopInstance, out var message) != UidProblem.None)
            return (new DicomOutcome(DicomStatus.UnableToProcess, message ?? "Invalid UID"), null, null);
        var record = InstanceRecordFactory.Create(ds, header.TransferSyntax.Uid.Value, pending.RelativePath, pending.Length);
        bool enqueue = enqueueWork ?? options.EnqueueWork(ds);
        // Replay of a record whose row survived: the row is re-written, its work item is not queued twice.
        if (replaying && enqueue && await index.FindInstanceAsync(sopInstance, ct).ConfigureAwait(false) is not null) enqueue = false;

        // Fast mode, a C-STORE: answered once the file is in place, its rows committed behind (SqlArchiveIndex.WriteBehind).
        if (!replaying && expectedSopInstance is not null && store.FastMode && index is SqlArchiveIndex { CanWriteBehind: true } behind)
            return await CommitBehindAsync(behind, pending, record, enqueue, ct).ConfigureAwait(false);

        // Durable mode with the journal: the record is durable (one shared sync) before the file is renamed and
        // the row committed, both without sync; the checkpoint makes those durable later and retires the record.
        // Write-once mode: the record only names the staged file, which the same shared sync (syncfs) makes durable.
        var journal = store.Journal;
        bool writeOnce = store.JournalWritesOnce;
        bool tooLarge = journal is not null && !writeOnce && pending.Length > journal.MaxPayloadBytes;
        JournalTicket? ticket = null;
        // Too large for a record: its bytes are synced before it gets its name, so a crash never leaves it torn.
        if (tooLarge) await pending.FlushToDiskAsync(ct, force: true).ConfigureAwait(false);
        if (journal is not null && !tooLarge && !replaying)
            ticket = writeOnce
                ? await journal.AppendIntentAsync(Path.GetRelativePath(store.Root, pending.PartPath), pending.RelativePath, pending.Length, pending.Crc, ct).ConfigureAwait(false)
                : await journal.AppendAsync(pending.Handle, pending.Length, ct).ConfigureAwait(false);
        StoreResult result;
        try
        {
            result = await index.StoreInstanceAsync(record, enqueue, ct, pending.CommitAsync).ConfigureAwait(false);
        }
        catch
        {
            if (ticket is { } failed) await journal!.CancelAsync(failed, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        if (ticket is { } t)
        {
            if (result.IsStored) journal!.Materialized(t);
            else await journal!.CancelAsync(t, CancellationToken.None).ConfigureAwait(false);
        }
        // Not journalled (larger than a record may be): durable through a checkpoint of its own before success.
        if (tooLarge && result.IsStored && !replaying) await journal!.CheckpointAsync(ct, force: true).ConfigureAwait(false);
        return result.IsStored
            ? (DicomOutcome.Success, result, pending.RelativePath)
            : (new DicomOutcome(DicomStatus.ProcessingFailure, result.Message ?? "The instance conflicts with the archive's hierarchy"), result, null);
    }

    private static async Task<(DicomOutcome Outcome, StoreResult? Result, string? RelativePath)> CommitBehindAsync(SqlArchiveIndex index,
        PendingFile pending, InstanceRecord record, bool enqueue, CancellationToken ct)
    {
        var (reservation, answer) = index.ReserveBehind(record);
        if (answer is { } refused)
            return refused.IsStored
                ? (DicomOutcome.Success, refused, null) // a duplicate kept as it is (DuplicatePolicy.Ignore)
                : (new DicomOutcome(DicomStatus.ProcessingFailure, refused.Message ?? "The instance conflicts with the archive's hierarchy"), refused, null);
        try
        {
            // Recorded before the rename: after a crash the next start finds the file and indexes it.
            index.LogBehind(reservation!, pending.RelativePath);
            await pending.CommitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            index.CancelBehind(reservation!);
            throw;
        }
        index.StoreBehind(reservation!, enqueue);
        return (DicomOutcome.Success, new StoreResult(reservation!.Replaces ? StoreOutcome.Replaced : StoreOutcome.Added), pending.RelativePath);
    }

    /// <summary>
    /// Start-up recovery of fast mode's write-behind: indexes every file named in the write-behind record (acknowledged
    /// instances whose rows a crash may have kept from committing) that is in place but not indexed at that place, then
    /// empties the record, which lets stores be written behind again. Returns how many were indexed.
    /// </summary>
    public async Task<int> ReplayWriteBehindAsync(CancellationToken ct)
    {
        if (index is not SqlArchiveIndex sql || sql.WriteBehindLogPath is null) return 0;
        int indexed = 0;
        foreach (var relative in sql.ReadWriteBehindLog())
        {
            string full;
            try { full = store.GetFullPath(relative); }
            catch (ArgumentException) { continue; }
            if (!File.Exists(full)) continue; // renamed never (a crash before it) or since replaced
            DicomFile header;
            // Every file renamed into place was parsed first: one that cannot be read now (torn by a power loss,
            // unreadable) is left where it is rather than stop the node's start.
            try { header = DicomFile.OpenHeader(full); }
            catch (Exception e) when (e is DicomReadException or IOException or UnauthorizedAccessException) { continue; }
            var ds = header.Dataset;
            if (!ds.TryGetString(DicomTags.SOPInstanceUID, out var sop) || sop.Length == 0) continue;
            if (await index.FindInstanceAsync(sop, ct).ConfigureAwait(false) is { } row && row.FilePath == relative) continue;
            var record = InstanceRecordFactory.Create(ds, header.TransferSyntax.Uid.Value, relative, new FileInfo(full).Length);
            var result = await index.StoreInstanceAsync(record, options.EnqueueWork(ds), ct).ConfigureAwait(false);
            if (result.IsStored) indexed++;
        }
        sql.ClearWriteBehindLog();
        return indexed;
    }

    /// <summary>
    /// Start-up recovery of durable mode: stores again every journal record not retired by a checkpoint (the instances
    /// of the last moments before an unclean stop), through the same checks and transaction, then checkpoints.
    /// Idempotent: a record whose file and row survived is written again with the same bytes. Returns the count.
    /// </summary>
    public async Task<int> ReplayJournalAsync(CancellationToken ct)
    {
        var journal = store.Journal;
        if (journal is null) return 0;
        var records = journal.ReadUnretired();
        var stagedSources = new List<string>();
        int replayed = 0;
        foreach (var r in records)
        {
            // An intent record: the bytes are in the staged file (not renamed yet) or at the final place (renamed),
            // whichever has the recorded length and CRC; neither means the instance was never acknowledged.
            string? source = null;
            if (r.IsIntent)
            {
                foreach (var candidate in new[] { r.StagedPath!, r.FinalPath! })
                {
                    var full = store.GetFullPath(candidate);
                    if (FileStore.FileMatches(full, r.Length, r.FileCrc)) { source = full; break; }
                }
                if (source is null) continue;
            }
            var begin = store.BeginIncoming();
            if (begin.Write is null) throw new IOException($"Cannot replay the ingest journal {journal.Path}: {begin.Message}");
            await using var pending = begin.Write;
            if (source is null) r.CopyTo(pending.Stream);
            else
            {
                await using (var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
                    await file.CopyToAsync(pending.Stream, ct).ConfigureAwait(false);
                // The copy replaces the only durable copy (at the final place) or will be all that is left once the
                // staged file is deleted: its bytes are synced before its rename, so a crash during replay never
                // leaves the instance torn while its record is still there to replay it again.
                await pending.FlushToDiskAsync(ct, force: true).ConfigureAwait(false);
                if (source != store.GetFullPath(r.FinalPath!)) stagedSources.Add(source);
            }
            var (outcome, _, _) = await CommitStagedAsync(pending, null, null, null, replaying: true, ct).ConfigureAwait(false);
            if (outcome.Status.IsSuccess) replayed++;
        }
        journal.RecoveryReplayed();
        await journal.CheckpointAsync(ct, force: true).ConfigureAwait(false);
        // Only now (the copies and their names are durable, the records retired) may the staged files go.
        foreach (var staged in stagedSources) store.DeletePart(staged);
        return replayed;
    }
}
