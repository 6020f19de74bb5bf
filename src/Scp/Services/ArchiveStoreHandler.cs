using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// Storage SCP over the archive (PS3.4 Annex B). The data set streams straight into a <c>.part</c> file behind a file
/// meta header we write; when it is complete the header is parsed, checked (SOP Instance/Class UID equal to the
/// command's, UIDs valid) and the file is renamed into place inside the index transaction that also queues the work
/// item. Success is sent only after fsync, rename and commit.
/// </summary>
public sealed class ArchiveStoreHandler(FileStore store, IArchiveIndex index, ArchiveServiceOptions options, ILogger<ArchiveStoreHandler> logger) : IStoreHandler
{
    /// <inheritdoc />
    public async ValueTask<(IStoreOperation? Operation, DicomOutcome Refusal)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken)
    {
        var rq = context.Request;
        var sopClass = rq.AffectedSOPClassUID ?? "";
        var sopInstance = rq.AffectedSOPInstanceUID ?? "";
        if (StorageUid.Check(sopInstance) != UidProblem.None)
            return (null, new DicomOutcome(DicomStatus.UnableToProcess, $"Invalid Affected SOP Instance UID '{sopInstance}'"));
        var begin = store.BeginIncoming();
        if (begin.Write is null)
            return (null, new DicomOutcome(DicomStatus.OutOfResources, begin.Message));
        var file = begin.Write;
        try
        {
            var meta = new DicomDataset();
            var part10 = new DicomFile(new DicomDataset(), meta);
            meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
            meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClass);
            meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstance);
            meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, context.TransferSyntax.Uid.Value);
            meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomFile.ImplementationClassUid);
            meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomFile.ImplementationVersionName);
            if (context.CallingAE.Length > 0) meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, context.CallingAE);
            using (var header = new MemoryStream())
            {
                part10.Save(header);
                await file.Stream.WriteAsync(header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken).ConfigureAwait(false);
            }
            return (new Operation(this, context, file), default);
        }
        catch
        {
            await file.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed class Operation(ArchiveStoreHandler owner, DicomRequestContext context, PendingFile file) : IStoreOperation
    {
        public Stream Data => file.Stream;

        public async ValueTask AbandonAsync() => await file.DisposeAsync().ConfigureAwait(false);

        public async ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken)
        {
            await using var _ = file;
            return await owner.CommitAsync(context, file, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DicomOutcome> CommitAsync(DicomRequestContext context, PendingFile file, CancellationToken ct)
    {
        var rq = context.Request;
        await file.FlushToDiskAsync(ct).ConfigureAwait(false);
        DicomFile header;
        try
        {
            header = DicomFile.OpenHeader(file.PartPath);
        }
        catch (DicomReadException ex)
        {
            StoreLog.Unreadable(logger, rq.AffectedSOPInstanceUID, context.CallingAE, ex.Message);
            return new DicomOutcome(DicomStatus.UnableToProcess, "Cannot understand the data set: " + ex.Reason);
        }
        var ds = header.Dataset;
        var sopInstance = ds.TryGetString(DicomTags.SOPInstanceUID, out var si) ? si : "";
        var sopClass = ds.TryGetString(DicomTags.SOPClassUID, out var sc) ? sc : "";
        if (sopInstance != rq.AffectedSOPInstanceUID)
            return new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, $"SOP Instance UID in data set '{sopInstance}' differs from the command's");
        if (sopClass != rq.AffectedSOPClassUID)
            return new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, $"SOP Class UID in data set '{sopClass}' differs from the command's");
        var study = ds.TryGetString(DicomTags.StudyInstanceUID, out var st) ? st : null;
        var series = ds.TryGetString(DicomTags.SeriesInstanceUID, out var se) ? se : null;
        if (store.AssignDestination(file, study, series, sopInstance, out var message) != UidProblem.None)
            return new DicomOutcome(DicomStatus.UnableToProcess, message ?? "Invalid UID");

        var record = InstanceRecordFactory.Create(ds, context.TransferSyntax.Uid.Value, file.RelativePath, file.Length);
        bool enqueue = options.EnqueueWork(ds);
        var result = await index.StoreInstanceAsync(record, enqueue, ct, file.CommitAsync).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case StoreOutcome.Added:
            case StoreOutcome.Replaced:
                StoreLog.Stored(logger, sopInstance, context.CallingAE, result.Outcome.ToString());
                return DicomOutcome.Success;
            case StoreOutcome.DuplicateIgnored:
                // PS3.4 B.2.3: a duplicate may be answered with success (or warning); we keep the first copy.
                return DicomOutcome.Success;
            default:
                return new DicomOutcome(DicomStatus.ProcessingFailure, result.Message ?? "The instance conflicts with the archive's hierarchy");
        }
    }
}

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Stored {SopInstanceUid} from {CallingAE} ({Outcome})")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string callingAE, string outcome);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Refused unreadable data set {SopInstanceUid} from {CallingAE}: {Reason}")]
    public static partial void Unreadable(ILogger logger, string? sopInstanceUid, string callingAE, string reason);
}
