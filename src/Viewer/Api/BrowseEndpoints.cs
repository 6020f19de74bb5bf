using System.Globalization;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCancer.Viewer.Api;

/// <summary>Worklist, series of a study, instances of a series.</summary>
public static class BrowseEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/worklist", async (HttpContext ctx, ArchiveQueries queries, string? from, string? to, string? patient, string? status, string? sort) =>
        {
            if (!TryDate(from, out var f) || !TryDate(to, out var t))
                return Results.Problem(statusCode: 400, title: "Invalid date", detail: "from and to are dates as YYYY-MM-DD or YYYYMMDD.");
            if (sort is not (null or "priority" or "date"))
                return Results.Problem(statusCode: 400, title: "Invalid sort", detail: "sort is 'priority' or 'date'.");
            if (status is not null && status is not (StudyAiStatus.Pending or StudyAiStatus.Done or StudyAiStatus.NotAnalysed or StudyAiStatus.Failed or "not_analysed"))
                return Results.Problem(statusCode: 400, title: "Invalid status", detail: "status is one of: pending, done, not analysed, failed.");
            var rows = await queries.WorklistAsync(new WorklistQuery(f, t, patient, status == "not_analysed" ? StudyAiStatus.NotAnalysed : status, sort != "date"), ctx.RequestAborted).ConfigureAwait(false);
            return Results.Ok(rows);
        }).RequireAuthorization(ViewerPolicies.Reader);

        api.MapGet("/studies/{uid}/series", async (HttpContext ctx, string uid, ArchiveQueries queries, AuditLog audit) =>
        {
            var series = await queries.SeriesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            if (series is null) return NotFound("study", uid);
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.StudyView, uid, null, AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            return Results.Ok(series);
        }).RequireAuthorization(ViewerPolicies.Reader);

        api.MapGet("/series/{uid}/instances", async (HttpContext ctx, string uid, ArchiveQueries queries) =>
        {
            var found = await queries.InstancesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            return found is { } f ? Results.Ok(new { studyInstanceUid = f.StudyInstanceUid, seriesInstanceUid = uid, instances = f.Instances }) : NotFound("series", uid);
        }).RequireAuthorization(ViewerPolicies.Reader);
    }

    public static IResult NotFound(string what, string uid) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}", detail: $"The archive has no {what} with UID {uid}.");

    private static bool TryDate(string? text, out string? da)
    {
        da = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (DateOnly.TryParseExact(text.Trim(), ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            da = d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            return true;
        }
        return false;
    }
}
