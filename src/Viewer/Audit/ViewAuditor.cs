using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Audit;

/// <summary>
/// Records image views once per series per session (a session scrolls hundreds of slices; one row says enough).
/// Remembered keys expire with the session's idle timeout.
/// </summary>
public sealed class ViewAuditor(AuditLog audit, IMemoryCache seen, IOptions<ViewerOptions> options)
{
    public async Task ImageViewedAsync(HttpContext ctx, string seriesUid, string sopInstanceUid)
    {
        var key = "view|" + ctx.User.Session() + "|" + seriesUid;
        if (seen.TryGetValue(key, out _)) return;
        seen.Set(key, true, new MemoryCacheEntryOptions { SlidingExpiration = options.Value.IdleTimeout, Size = 1 });
        await audit.AppendAsync(ctx.User.UserName(), AuditActions.ImageView, seriesUid, "first image " + sopInstanceUid,
            AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
    }
}
