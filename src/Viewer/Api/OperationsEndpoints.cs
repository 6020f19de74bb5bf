using Dapper;
using EdgeCancer.Scp.Index;
using EdgeCancer.Viewer.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCancer.Viewer.Api;

/// <summary>
/// The node's operations for technologists and admins: the work queue (<c>GET /api/queue</c>) and the DICOM
/// associations the SCP served (<c>GET /api/associations</c>, recorded by the SCP in <c>association_log</c>).
/// </summary>
public static class OperationsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/queue", QueueAsync).RequireAuthorization(ViewerPolicies.Technologist);
        api.MapGet("/associations", AssociationsAsync).RequireAuthorization(ViewerPolicies.Technologist);
    }

    private sealed record StateCount
    {
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public long N { get; init; }
        public long? Oldest { get; init; }
    }

    private sealed record Failure
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string SopInstanceUid { get; init; } = "";
        public string StudyInstanceUid { get; init; } = "";
        public int Attempts { get; init; }
        public string? LastError { get; init; }
        public long CreatedAt { get; init; }
    }

    /// <summary>
    /// Counts per kind (inference, forwarding, …): pending, in progress (claimed), failed, and done recently (claimed
    /// within <c>recentMinutes</c>, default 60: the queue records when work was claimed, not when it finished); the
    /// oldest pending item's age; the latest failures with their errors.
    /// </summary>
    private static async Task<IResult> QueueAsync(HttpContext ctx, SqlArchiveIndex index, TimeProvider time, int? recentMinutes)
    {
        int minutes = recentMinutes ?? 60;
        if (minutes is < 1 or > 7 * 24 * 60)
            return Results.Problem(statusCode: 400, title: "Invalid recentMinutes", detail: "recentMinutes is 1 to 10080.");
        long now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long since = now - minutes * 60_000L;
        await using var c = await index.OpenReadConnectionAsync(ctx.RequestAborted).ConfigureAwait(false);
        var counts = (await c.QueryAsync<StateCount>(new CommandDefinition(
            """
            SELECT kind AS Kind, state AS State, COUNT(*) AS N, MIN(created_at) AS Oldest FROM work_queue
            WHERE state <> 'done' OR claimed_at >= @since
            GROUP BY kind, state
            """, new { since }, cancellationToken: ctx.RequestAborted)).ConfigureAwait(false)).ToList();
        var failures = (await c.QueryAsync<Failure>(new CommandDefinition(
            """
            SELECT id AS Id, kind AS Kind, sop_instance_uid AS SopInstanceUid, study_instance_uid AS StudyInstanceUid, attempts AS Attempts,
                   last_error AS LastError, created_at AS CreatedAt
            FROM work_queue WHERE state = 'failed' ORDER BY id DESC LIMIT 20
            """, cancellationToken: ctx.RequestAborted)).ConfigureAwait(false)).ToList();
        long Count(string kind, string state) => counts.Where(x => x.Kind == kind && x.State == state).Sum(x => x.N);
        var kinds = counts.Select(x => x.Kind).Append("inference").Distinct().Order(StringComparer.Ordinal).Select(k => new
        {
            kind = k,
            pending = Count(k, WorkState.Pending),
            inProgress = Count(k, WorkState.Claimed),
            failed = Count(k, WorkState.Failed),
            doneRecently = Count(k, WorkState.Done),
            oldestPendingAt = counts.FirstOrDefault(x => x.Kind == k && x.State == WorkState.Pending)?.Oldest is { } o ? DateTimeOffset.FromUnixTimeMilliseconds(o) : (DateTimeOffset?)null,
        }).ToList();
        var inference = kinds.Single(k => k.kind == "inference");
        return Results.Ok(new
        {
            recentMinutes = minutes,
            pending = inference.pending,
            inProgress = inference.inProgress,
            failed = inference.failed,
            doneRecently = inference.doneRecently,
            kinds,
            recentFailures = failures.Select(f => new
            {
                id = f.Id, kind = f.Kind, sopInstanceUid = f.SopInstanceUid, studyInstanceUid = f.StudyInstanceUid, attempts = f.Attempts,
                lastError = f.LastError, createdAt = DateTimeOffset.FromUnixTimeMilliseconds(f.CreatedAt),
            }),
        });
    }

    private sealed record AssociationRow
    {
        public long Id { get; init; }
        public string CallingAe { get; init; } = "";
        public string CalledAe { get; init; } = "";
        public string? PeerAddress { get; init; }
        public long StartedAt { get; init; }
        public long EndedAt { get; init; }
        public long InstancesStored { get; init; }
        public long InstancesRefused { get; init; }
        public long Requests { get; init; }
        public string Outcome { get; init; } = "";
        public string? Detail { get; init; }
    }

    /// <summary>The most recent associations, newest first (<c>limit</c>, default 200, at most 10000; <c>callingAe</c> filters).</summary>
    private static async Task<IResult> AssociationsAsync(HttpContext ctx, SqlArchiveIndex index, int? limit, string? callingAe)
    {
        int n = limit ?? 200;
        if (n is < 1 or > 10_000) return Results.Problem(statusCode: 400, title: "Invalid limit", detail: "limit is 1 to 10000.");
        await using var c = await index.OpenReadConnectionAsync(ctx.RequestAborted).ConfigureAwait(false);
        var rows = await c.QueryAsync<AssociationRow>(new CommandDefinition(
            """
            SELECT id AS Id, calling_ae AS CallingAe, called_ae AS CalledAe, peer_address AS PeerAddress, started_at AS StartedAt, ended_at AS EndedAt,
                   instances_stored AS InstancesStored, instances_refused AS InstancesRefused, requests AS Requests, outcome AS Outcome, detail AS Detail
            FROM association_log
            WHERE (CAST(@callingAe AS TEXT) IS NULL OR calling_ae = @callingAe)
            ORDER BY id DESC LIMIT @n
            """, new { n, callingAe = string.IsNullOrWhiteSpace(callingAe) ? null : callingAe.Trim() }, cancellationToken: ctx.RequestAborted)).ConfigureAwait(false);
        return Results.Ok(rows.Select(r => new
        {
            id = r.Id,
            callingAe = r.CallingAe,
            calledAe = r.CalledAe,
            peerAddress = r.PeerAddress,
            startedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt),
            endedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.EndedAt),
            durationMs = r.EndedAt - r.StartedAt,
            instancesStored = r.InstancesStored,
            instancesRefused = r.InstancesRefused,
            requests = r.Requests,
            outcome = r.Outcome,
            detail = r.Detail,
        }));
    }
}
