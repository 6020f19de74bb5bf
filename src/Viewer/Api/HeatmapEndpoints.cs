using System.Globalization;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCancer.Viewer.Api;

/// <summary><c>GET /api/instances/{uid}/heatmap.png?model=…</c>: the occlusion-sensitivity overlay of an image (any role).</summary>
public static class HeatmapEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/instances/{uid}/heatmap.png", async (HttpContext ctx, string uid, string? model, HeatmapService heatmaps) =>
        {
            var name = string.IsNullOrWhiteSpace(model) ? InstanceEndpoints.HeatmapModel : model.Trim();
            var result = await heatmaps.GetAsync(uid, name, ctx.RequestAborted).ConfigureAwait(false);
            if (result.Problem is not null) return result.Problem;
            var h = ctx.Response.Headers;
            h.ETag = result.ETag;
            h.CacheControl = "private, max-age=3600";
            h["X-Model"] = result.Model;
            h["X-Model-Version"] = result.Version;
            h["X-Base-Probability"] = result.BaseProbability.ToString("0.####", CultureInfo.InvariantCulture);
            h.AccessControlExposeHeaders = "X-Model, X-Model-Version, X-Base-Probability";
            if (PixelFrames.NotModified(ctx.Request, result.ETag!)) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Bytes(result.Png!, "image/png");
        }).RequireAuthorization(ViewerPolicies.Reader);
    }
}
