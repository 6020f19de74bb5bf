using System.Net;
using Dapper;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// Records every association the SCP served in the index's <c>association_log</c> (calling and called AE, peer
/// address, start, end, instances stored and refused, how it ended) for the viewer's association list. One row is
/// written when the association ends; rows older than <see cref="Retention"/> or beyond the newest
/// <see cref="MaxRows"/> are pruned at the same time. A failed write is logged and never affects the association.
/// </summary>
public sealed class AssociationRecorder(SqlArchiveIndex index, ILogger<AssociationRecorder> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Rows older than this are deleted.</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>At most this many rows are kept.</summary>
    public int MaxRows { get; init; } = 10_000;

    /// <summary>
    /// The handler of one new association: <paramref name="build"/> makes the node's handler from a store handler
    /// that counts what this association stores.
    /// </summary>
    public IDimseRequestHandler Begin(IStoreHandler store, Func<IStoreHandler, IDimseRequestHandler> build)
    {
        var session = new Session(this, _time.GetUtcNow().ToUnixTimeMilliseconds());
        session.Inner = build(new CountingStoreHandler(store, session));
        return session;
    }

    /// <summary>
    /// Records a connection that did not become an association: rejected (with the reject's reason), aborted during
    /// negotiation, timed out (ARTIM) or not DICOM at all. Security officers read these rows to see who knocked.
    /// </summary>
    public async ValueTask RecordRefusedAsync(AssociationOutcome outcome, EndPoint? peer)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        string text = outcome switch
        {
            { Request: null } => "no association request",
            { Reject: not null } => "rejected",
            { Abort: not null } => "aborted during negotiation",
            _ => "not established",
        };
        string detail = outcome.Failure ?? text;
        string? address = peer?.ToString();
        AssociationLog.Refused(logger, outcome.Request?.CallingAETitle, outcome.Request?.CalledAETitle, address, detail);
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        await InsertAsync(outcome.Request?.CallingAETitle, outcome.Request?.CalledAETitle, address, now, now, 0, 0, 0, text, detail).ConfigureAwait(false);
    }

    private async ValueTask WriteAsync(Session s, DimseChannel channel)
    {
        var rq = channel.Association.Request;
        var outcome = channel.Outcome;
        string text = outcome?.Kind switch
        {
            AssociationReceiveKind.Released => "released",
            AssociationReceiveKind.Aborted => outcome.Value.AbortedLocally ? "aborted by node" : "aborted by peer",
            AssociationReceiveKind.Closed => "connection closed",
            null => "ended at node stop",
            _ => outcome.Value.Kind.ToString().ToLowerInvariant(),
        };
        string? peer = channel.Association.RemoteEndPoint switch
        {
            IPEndPoint ip => ip.ToString(),
            { } other => other.ToString(),
            null => null,
        };
        await InsertAsync(rq.CallingAETitle, rq.CalledAETitle, peer, s.StartedAt, _time.GetUtcNow().ToUnixTimeMilliseconds(),
            s.Stored, s.Refused, s.Requests, text, outcome?.Detail).ConfigureAwait(false);
    }

    private async ValueTask InsertAsync(string? calling, string? called, string? peer, long started, long now, int stored, int refused, int requests, string text, string? detail)
    {
        try
        {
            long cutoff = now - (long)Retention.TotalMilliseconds;
            await index.ExecuteWriteAsync(async c =>
            {
                await c.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO association_log (calling_ae, called_ae, peer_address, started_at, ended_at, instances_stored, instances_refused, requests, outcome, detail)
                    VALUES (@calling, @called, @peer, @started, @now, @stored, @refused, @requests, @text, @detail)
                    """,
                    new { calling = calling ?? "", called = called ?? "", peer, started, now, stored, refused, requests, text, detail })).ConfigureAwait(false);
                return await c.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM association_log WHERE started_at < @cutoff OR id <= (SELECT MAX(id) FROM association_log) - @max",
                    new { cutoff, max = MaxRows })).ConfigureAwait(false);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
        {
            AssociationLog.NotRecorded(logger, ex.Message);
        }
    }

    private sealed class Session(AssociationRecorder owner, long startedAt) : IAssociationLifetimeHandler
    {
        private int _stored, _refused, _requests;
        public IDimseRequestHandler Inner { get; set; } = null!;
        public long StartedAt => startedAt;
        public int Stored => Volatile.Read(ref _stored);
        public int Refused => Volatile.Read(ref _refused);
        public int Requests => Volatile.Read(ref _requests);

        public void CountStored(bool success)
        {
            if (success) Interlocked.Increment(ref _stored);
            else Interlocked.Increment(ref _refused);
        }

        public ValueTask<Stream?> OpenDataSinkAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken) =>
            Inner.OpenDataSinkAsync(channel, request, cancellationToken);

        public Task HandleAsync(DimseChannel channel, DicomRequest request, Stream? dataSink, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Inner.HandleAsync(channel, request, dataSink, cancellationToken);
        }

        public ValueTask AbandonAsync(DicomRequest request, Stream? dataSink) => Inner.AbandonAsync(request, dataSink);

        public ValueTask AssociationEndedAsync(DimseChannel channel) => owner.WriteAsync(this, channel);
    }

    private sealed class CountingStoreHandler(IStoreHandler inner, Session session) : IStoreHandler
    {
        public async ValueTask<(IStoreOperation? Operation, DicomOutcome Refusal)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken)
        {
            var (operation, refusal) = await inner.BeginAsync(context, cancellationToken).ConfigureAwait(false);
            if (operation is null)
            {
                session.CountStored(false);
                return (null, refusal);
            }
            return (new CountingOperation(operation, session), refusal);
        }
    }

    private sealed class CountingOperation(IStoreOperation inner, Session session) : IStoreOperation
    {
        public Stream Data => inner.Data;

        public async ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken)
        {
            var outcome = await inner.CompleteAsync(cancellationToken).ConfigureAwait(false);
            session.CountStored(!outcome.Status.IsFailure);
            return outcome;
        }

        public async ValueTask AbandonAsync()
        {
            session.CountStored(false);
            await inner.AbandonAsync().ConfigureAwait(false);
        }
    }
}

internal static partial class AssociationLog
{
    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Association not recorded in the association log: {Reason}")]
    public static partial void NotRecorded(ILogger logger, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Association refused: calling AE {CallingAE}, called AE {CalledAE}, from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string? callingAE, string? calledAE, string? peer, string reason);
}
