using System.Text;
using System.Text.Json;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Auth;
using EdgeCancer.Viewer.Events;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Api;

/// <summary>
/// <c>GET /api/events</c>: Server-Sent Events (text/event-stream). Event <c>worklist</c> with data
/// <c>{"studyInstanceUid": "…"}</c> when an instance or SR is stored, an AI result arrives or a correction is made;
/// a comment line as keep-alive. The stream ends when the client goes, the node stops, the account is disabled or
/// the session's idle timeout passes (the browser's EventSource then reconnects and gets 401).
/// </summary>
public static class EventEndpoints
{
    public const string WorklistEvent = "worklist";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events", StreamAsync).RequireAuthorization(ViewerPolicies.Reader);
    }

    private static async Task StreamAsync(HttpContext ctx, WorklistChangeFeed feed, IHostApplicationLifetime lifetime, IOptions<ViewerOptions> options, UserStore users, TimeProvider time)
    {
        var o = options.Value;
        var auth = await ctx.AuthenticateAsync(ViewerAuthentication.Scheme).ConfigureAwait(false);
        var expires = auth.Properties?.ExpiresUtc;
        var user = ctx.User.UserName();

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        using var subscription = feed.Subscribe();
        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // reverse proxies must not buffer the stream
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            // Reconnect after 3 s when the stream breaks (HTML Living Standard §9.2, the "retry" field).
            await WriteAsync(response, "retry: 3000\n: connected\n\n", ct).ConfigureAwait(false);
            var reader = subscription.Reader;
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(o.EventKeepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Quiet for a while: keep the connection (and proxies) alive, and re-check the session.
                    if (expires is { } e && time.GetUtcNow() >= e) return;
                    var account = await users.FindAsync(user, ct).ConfigureAwait(false);
                    if (account is null || account.Disabled) return;
                    await WriteAsync(response, ": keep-alive\n\n", ct).ConfigureAwait(false);
                    continue;
                }
                if (!more) return; // the node is stopping
                var sb = new StringBuilder();
                while (reader.TryRead(out var study))
                    sb.Append("event: ").Append(WorklistEvent).Append("\ndata: ")
                      .Append(JsonSerializer.Serialize(new { studyInstanceUid = study })).Append("\n\n");
                await WriteAsync(response, sb.ToString(), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Client gone or node stopping: end the response quietly.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, Encoding.UTF8, ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }
}
