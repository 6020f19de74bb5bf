using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using EdgeCancer.Viewer.Corrections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Viewer.Api;

/// <summary>Doctors' corrections of AI results and the retraining queue.</summary>
public static class CorrectionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/instances/{uid}/corrections", async (HttpContext ctx, string uid, CorrectionRequest body, CorrectionService corrections, AuditLog audit, ILoggerFactory loggers) =>
        {
            var outcome = await corrections.CorrectAsync(uid, body, ctx.User.UserName(), ctx.User.DisplayNameOf(), ctx.RequestAborted).ConfigureAwait(false);
            if (outcome.Record is not { } r) return Results.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail);
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.Correction, uid,
                $"{r.Field}: {r.OldLabel ?? "(none)"} -> {r.NewLabel} ({r.ModelVersion}); SR {r.CorrectedSrUid}", AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            ViewerLog.CorrectionStored(loggers.CreateLogger("EdgeCancer.Viewer.Corrections"), r.UserName, r.Field, r.CorrectedSrUid);
            return Results.Created($"/api/instances/{uid}/corrections", r);
        }).RequireAuthorization(ViewerPolicies.Doctor);

        api.MapGet("/instances/{uid}/corrections", async (HttpContext ctx, string uid, CorrectionService corrections) =>
            Results.Ok(await corrections.ForImageAsync(uid, ctx.RequestAborted).ConfigureAwait(false))).RequireAuthorization(ViewerPolicies.Reader);

        api.MapGet("/retrain-queue", async (HttpContext ctx, CorrectionService corrections) =>
            Results.Ok(await corrections.RetrainQueueAsync(ctx.RequestAborted).ConfigureAwait(false))).RequireAuthorization(ViewerPolicies.Admin);
    }
}
