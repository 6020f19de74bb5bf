using System.Runtime.CompilerServices;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Query;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// Retrieve SCP (PS3.4 C.4.2, C.4.3): resolves the identifier to instances through the index, then sends them by
/// C-STORE sub-operations, to a destination from the remote AE table (C-MOVE, one association) or back on the
/// requestor's association (C-GET, SCP role negotiated by the requestor).
/// </summary>
public sealed class ArchiveRetrieveHandler(FileStore store, IArchiveIndex index, ArchiveServiceOptions options, ILogger<ArchiveRetrieveHandler> logger) : IRetrieveHandler
{
    private static readonly string[] Uncompressed = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value];

    /// <inheritdoc />
    public async IAsyncEnumerable<(DicomOutcome Outcome, DicomSubOperations Progress)> MoveAsync(DicomRequestContext context, string destination, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var target = await index.GetRemoteAeAsync(destination.Trim(), cancellationToken).ConfigureAwait(false);
        if (target is null)
        {
            yield return (new DicomOutcome(DicomStatus.MoveDestinationUnknown, $"Move destination '{destination.Trim()}' is not in the remote AE table"), default);
            yield break;
        }
        var (instances, failure) = await ResolveAsync(context, identifier, cancellationToken).ConfigureAwait(false);
        if (failure is { } f) { yield return (f, default); yield break; }
        if (instances.Count == 0) { yield return (DicomOutcome.Success, default); yield break; }

        var contexts = new List<PresentationContextRequest>();
        byte id = 1;
        foreach (var group in instances.GroupBy(i => (i.SopClassUid, i.TransferSyntaxUid)))
        {
            if (id > 253) break;
            var ts = group.Key.TransferSyntaxUid is { } t && !Uncompressed.Contains(t) ? new[] { t } : Uncompressed;
            contexts.Add(new PresentationContextRequest(id, group.Key.SopClassUid!, ts));
            id += 2;
        }
        DicomClient? client = null;
        string? connectError = null;
        try
        {
            client = await DicomClient.ConnectAsync(target.Host, target.Port, options.AETitle, target.AeTitle, contexts, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomAssociationException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            connectError = ex.Message;
            RetrieveLog.DestinationFailed(logger, target.AeTitle, ex.Message);
        }
        if (client is null)
        {
            yield return (new DicomOutcome(DicomStatus.OutOfResourcesSubOperations, "Cannot reach move destination: " + connectError), new DicomSubOperations(0, 0, instances.Count, 0));
            yield break;
        }
        await using (client)
        {
            await foreach (var p in SendAllAsync(client.Channel, instances, context.CallingAE, context.Request.MessageID, cancellationToken).ConfigureAwait(false))
                yield return p;
            try { await client.ReleaseAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (Exception ex) when (ex is DicomNetworkException or IOException or OperationCanceledException) { RetrieveLog.DestinationFailed(logger, target.AeTitle, ex.Message); }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<(DicomOutcome Outcome, DicomSubOperations Progress)> GetAsync(DicomRequestContext context, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (instances, failure) = await ResolveAsync(context, identifier, cancellationToken).ConfigureAwait(false);
        if (failure is { } f) { yield return (f, default); yield break; }
        await foreach (var p in SendAllAsync(context.Channel, instances, null, null, cancellationToken).ConfigureAwait(false))
            yield return p;
    }

    private async IAsyncEnumerable<(DicomOutcome, DicomSubOperations)> SendAllAsync(DimseChannel channel, IReadOnlyList<FindResult> instances,
        string? originatorAE, ushort? originatorMessageId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int completed = 0, failed = 0, warning = 0;
        string? lastError = null;
        for (int i = 0; i < instances.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var instance = instances[i];
            try
            {
                var path = store.GetFullPath(instance.FilePath!);
                var rsp = await DimseStoreSender.SendFileAsync(channel, path, originatorAE, originatorMessageId, cancellationToken).ConfigureAwait(false);
                if (rsp.Status.IsSuccess) completed++;
                else if (rsp.Status.State == DicomState.Warning) warning++;
                else { failed++; lastError = rsp.ToString(); }
            }
            catch (Exception ex) when (ex is DicomNetworkException or IOException or EdgeCancer.Dicom.IO.DicomReadException)
            {
                failed++;
                lastError = ex.Message;
                RetrieveLog.SubOperationFailed(logger, instance.SopInstanceUid, ex.Message);
            }
            int remaining = instances.Count - i - 1;
            if (remaining > 0) yield return (new DicomOutcome(DicomStatus.Pending), new DicomSubOperations(remaining, completed, failed, warning));
        }
        // PS3.4 C.4.2.1.5: warning B000 when some sub-operations failed, failure A702 when none completed.
        var outcome = failed == 0 && warning == 0 ? DicomOutcome.Success
            : failed > 0 && completed == 0 && warning == 0 ? new DicomOutcome(DicomStatus.OutOfResourcesSubOperations, lastError)
            : new DicomOutcome(DicomStatus.SubOperationsCompleteWithFailures, lastError);
        yield return (outcome, new DicomSubOperations(0, completed, failed, warning));
    }

    private async Task<(IReadOnlyList<FindResult> Instances, DicomOutcome? Failure)> ResolveAsync(DicomRequestContext context, DicomDataset identifier, CancellationToken ct)
    {
        var model = QueryIdentifier.ModelOf(context.Request.AffectedSOPClassUID);
        var level = QueryIdentifier.LevelOf(identifier);
        if (model is null) return ([], new DicomOutcome(DicomStatus.SOPClassNotSupported, "Only Patient Root and Study Root retrieve are supported"));
        if (level is null) return ([], new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, "Query/Retrieve Level missing or invalid"));
        // Retrieve uses only unique keys (PS3.4 C.4.2.2.1); instances below the level are all sent.
        var keys = QueryIdentifier.KeysOf(identifier)
            .Where(k => k.Tag == DicomTags.PatientID || k.Tag == DicomTags.StudyInstanceUID || k.Tag == DicomTags.SeriesInstanceUID || k.Tag == DicomTags.SOPInstanceUID)
            .ToList();
        if (keys.Count == 0 || keys.All(k => string.IsNullOrEmpty(k.Value)))
            return ([], new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, "No unique key for the retrieve level"));
        if (!keys.Any(k => k.Tag == DicomTags.SOPInstanceUID)) keys.Add(new QueryKey(DicomTags.SOPInstanceUID, DicomVR.UI, ""));
        var plan = index.PlanFind(new FindRequest(model.Value, QueryLevel.Image, keys));
        if (!plan.Success) return ([], new DicomOutcome(DicomStatus.IdentifierDoesNotMatchSOPClass, plan.ErrorComment));
        var list = new List<FindResult>();
        await foreach (var r in index.FindAsync(plan.Plan!, ct).ConfigureAwait(false))
            if (r.FilePath is not null) list.Add(r);
        return (list, null);
    }
}

internal static partial class RetrieveLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Move destination {AeTitle} failed: {Reason}")]
    public static partial void DestinationFailed(ILogger logger, string aeTitle, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "C-STORE sub-operation for {SopInstanceUid} failed: {Reason}")]
    public static partial void SubOperationFailed(ILogger logger, string? sopInstanceUid, string reason);
}
