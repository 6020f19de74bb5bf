using System.Net;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// The DICOM role of the node: migrates the index, removes writes a crash left unfinished, then serves Verification,
/// Storage and Query/Retrieve until the host stops (graceful: no new associations, in-flight ones finish).
/// </summary>
public sealed class DicomNodeService(
    IOptions<DicomNodeOptions> options,
    FileStore store,
    SqlArchiveIndex index,
    ArchiveServiceOptions serviceOptions,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<DicomNodeService>();
    private readonly TaskCompletionSource<IPEndPoint> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile IReadOnlySet<string> _knownAEs = new HashSet<string>();
    private volatile Tuple<IReadOnlySet<string>, AssociationPolicy>? _policy;
    private volatile IReadOnlyDictionary<string, AeOperations> _aeOperations = new Dictionary<string, AeOperations>();

    // The policy is read, never changed, by each negotiation: built again only when the remote AE table changes
    // (building it, a table of every storage SOP class, cost more than the negotiation).
    private AssociationPolicy PolicyFor(DicomNodeOptions o, IReadOnlySet<string> known)
    {
        if (_policy is { } made && ReferenceEquals(made.Item1, known)) return made.Item2;
        var policy = StoragePolicy.Build(o, known);
        _policy = Tuple.Create(known, policy);
        return policy;
    }

    /// <summary>Completes with the bound endpoint once the node listens.</summary>
    public Task<IPEndPoint> Listening => _bound.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        serviceOptions.AETitle = o.AETitle;
        await index.InitializeAsync(stoppingToken).ConfigureAwait(false);
        // Durable mode: instances journalled but not yet checkpointed when the node last stopped are stored again —
        // before the leftover .part files go, since in write-once mode a journalled instance may still be one of them.
        await new ArchiveWriter(store, index, serviceOptions).ReplayJournalAsync(stoppingToken).ConfigureAwait(false);
        // Fast mode: instances acknowledged before their rows were committed when the node last stopped are indexed.
        var unindexed = await new ArchiveWriter(store, index, serviceOptions).ReplayWriteBehindAsync(stoppingToken).ConfigureAwait(false);
        if (unindexed > 0) NodeLog.IndexedAfterCrash(_logger, unindexed);
        store.DeleteLeftoverPartFiles(store.CreatedAtUtc);
        foreach (var ae in o.RemoteAEs)
        {
            if (!Enum.TryParse<AeOperations>(ae.Operations, ignoreCase: true, out var ops))
                throw new OptionsValidationException("Dicom:RemoteAEs", typeof(DicomNodeOptions), [$"Dicom:RemoteAEs: '{ae.Operations}' for {ae.AETitle} is not a list of Echo, Store, Find, Move, Get, All."]);
            await index.UpsertRemoteAeAsync(new RemoteAe(ae.AETitle, ae.Host, ae.Port, ops, ae.Description), stoppingToken).ConfigureAwait(false);
        }
        await RefreshKnownAEsAsync(stoppingToken).ConfigureAwait(false);

        var storeHandler = new ArchiveStoreHandler(store, new ArchiveWriter(store, index, serviceOptions), loggers.CreateLogger<ArchiveStoreHandler>());
        var associations = new AssociationRecorder(index, loggers.CreateLogger<AssociationRecorder>());
        var findHandler = new ArchiveFindHandler(index, serviceOptions);
        var retrieveHandler = new ArchiveRetrieveHandler(store, index, serviceOptions, loggers.CreateLogger<ArchiveRetrieveHandler>());
        var associationOptions = new AssociationOptions
        {
            ArtimTimeout = TimeSpan.FromSeconds(o.ArtimTimeoutSeconds),
            IdleTimeout = TimeSpan.FromSeconds(o.IdleTimeoutSeconds),
        };
        await using var server = new DicomServer(
            new IPEndPoint(o.ParsedBindAddress, o.Port),
            () => PolicyFor(o, _knownAEs),
            // One handler per association, recorded in the association log when it ends.
            () => associations.Begin(storeHandler, counted =>
            {
                var dispatcher = new DicomServiceDispatcher(counted, findHandler, retrieveHandler, (what, ex) => NodeLog.HandlerFailed(_logger, ex, what));
                // Beyond loopback the remote AE table also says which operations each AE may use.
                return o.MustKnowCallingAE
                    ? new AccessControlledHandler(dispatcher, ae => _aeOperations.TryGetValue(ae, out var ops) ? ops : AeOperations.None)
                    : dispatcher;
            }),
            associationOptions,
            ex => NodeLog.ConnectionFailed(_logger, ex.Message),
            associations.RecordRefusedAsync);
        server.Start();
        NodeLog.Listening(_logger, o.AETitle, server.LocalEndPoint.ToString(), o.MustKnowCallingAE);
        _bound.TrySetResult(server.LocalEndPoint);

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                await RefreshKnownAEsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        NodeLog.Stopping(_logger, server.OpenConnections);
        await server.StopAsync(TimeSpan.FromSeconds(o.ShutdownGraceSeconds)).ConfigureAwait(false);
    }

    private async Task RefreshKnownAEsAsync(CancellationToken ct)
    {
        var list = await index.ListRemoteAesAsync(ct).ConfigureAwait(false);
        _knownAEs = list.Select(a => a.AeTitle).ToHashSet(StringComparer.Ordinal);
        _aeOperations = list.ToDictionary(a => a.AeTitle, a => a.AllowedOperations, StringComparer.Ordinal);
    }
}

internal static partial class NodeLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "DICOM node {AETitle} listening on {EndPoint} (calling AE must be known: {MustKnow})")]
    public static partial void Listening(ILogger logger, string aeTitle, string endPoint, bool mustKnow);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "DICOM node stopping: refusing new associations, {Open} open")]
    public static partial void Stopping(ILogger logger, int open);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Handler failed for {What}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Debug, Message = "Connection ended with an error: {Reason}")]
    public static partial void ConnectionFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Indexed {Count} instances acknowledged in fast mode whose index rows an unclean stop had kept from committing")]
    public static partial void IndexedAfterCrash(ILogger logger, int count);
}
