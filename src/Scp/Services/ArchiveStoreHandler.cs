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
public sealed class ArchiveStoreHandler(FileStore store, ArchiveWriter writer, ILogger<ArchiveStoreHandler> logger) : IStoreHandler
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
            // The usual case, straight into the staged file's buffer; unusual values go through the general writer.
            if (WriteMeta(file.Stream, sopClass, sopInstance, context)) return (new Operation(this, context, file), default);
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

    private static bool WriteMeta(Stream stream, string sopClass, string sopInstance, DicomRequestContext context)
    {
        Span<byte> header = stackalloc byte[DicomFileMetaWriter.MaxLength];
        int n = DicomFileMetaWriter.TryWrite(header, sopClass, sopInstance, context.TransferSyntax.Uid.Value, context.CallingAE);
        if (n == 0) return false;
        stream.Write(header[..n]);
        return true;
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
        // The same checks and transaction as every instance the node stores (ArchiveWriter), plus the command's UIDs.
        var (outcome, result, _) = await writer.CommitStagedAsync(file, rq.AffectedSOPInstanceUID, rq.AffectedSOPClassUID, null, ct).ConfigureAwait(false);
        if (outcome.Status.IsSuccess) StoreLog.Stored(logger, rq.AffectedSOPInstanceUID ?? "", context.CallingAE, result?.Outcome);
        else StoreLog.Refused(logger, rq.AffectedSOPInstanceUID, context.CallingAE, outcome.Status.ToString(), outcome.ErrorComment ?? "");
        return outcome;
    }
}

internal static partial class StoreLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Stored {SopInstanceUid} from {CallingAE} ({Outcome})")]
    public static partial void Stored(ILogger logger, string sopInstanceUid, string callingAE, StoreOutcome? outcome);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Refused {SopInstanceUid} from {CallingAE}: {Status} {Reason}")]
    public static partial void Refused(ILogger logger, string? sopInstanceUid, string callingAE, string status, string reason);
}
