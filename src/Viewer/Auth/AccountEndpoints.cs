using System.Net;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Viewer.Auth;

/// <summary>Sign-in page and form, sign-out, anti-forgery token, password change, who am I.</summary>
public static class AccountEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        app.MapGet("/login", (HttpContext ctx, IAntiforgery antiforgery, string? returnUrl) =>
            LoginPage(ctx, antiforgery, returnUrl, null)).AllowAnonymous();
        app.MapPost("/login", SignInAsync).AllowAnonymous().DisableAntiforgery();

        api.MapPost("/logout", async (HttpContext ctx, AuditLog audit) =>
        {
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.SignOut, null, null, Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            await ctx.SignOutAsync(ViewerAuthentication.Scheme).ConfigureAwait(false);
            return Results.NoContent();
        }).WithMetadata(new AllowWithOneTimePassword());

        api.MapGet("/antiforgery", (HttpContext ctx, IAntiforgery antiforgery) =>
        {
            var tokens = antiforgery.GetAndStoreTokens(ctx);
            return Results.Ok(new { token = tokens.RequestToken, headerName = AntiforgeryFilter.HeaderName });
        }).WithMetadata(new AllowWithOneTimePassword());

        api.MapGet("/me", (HttpContext ctx) => Results.Ok(new
        {
            name = ctx.User.UserName(),
            displayName = ctx.User.DisplayNameOf(),
            role = ctx.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value,
            mustChangePassword = ctx.User.MustChange(),
        })).WithMetadata(new AllowWithOneTimePassword());

        api.MapPost("/account/password", async (HttpContext ctx, PasswordChange body, UserStore users, AuditLog audit) =>
        {
            var name = ctx.User.UserName();
            if (await users.ChangePasswordAsync(name, body.Current ?? "", body.New ?? "", ctx.RequestAborted).ConfigureAwait(false) is { } error)
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Password not changed", detail: error);
            await audit.AppendAsync(name, AuditActions.PasswordChanged, name, null, Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            var user = await users.FindAsync(name, ctx.RequestAborted).ConfigureAwait(false);
            await ctx.SignInAsync(ViewerAuthentication.Scheme, ViewerClaims.For(user!, ViewerAuthentication.Scheme)).ConfigureAwait(false);
            return Results.NoContent();
        }).WithMetadata(new AllowWithOneTimePassword());
    }

    public sealed record PasswordChange(string? Current, string? New);

    public static string? Remote(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString();

    private static bool WantsJson(HttpRequest r) => r.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true);

    private static async Task<IResult> SignInAsync(HttpContext ctx, IAntiforgery antiforgery, UserStore users, AuditLog audit, ILoggerFactory loggers)
    {
        if (!ctx.Request.HasFormContentType)
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Form expected",
                detail: "Post the sign-in form (application/x-www-form-urlencoded) with name, password and the anti-forgery field of GET /login.");
        try
        {
            await antiforgery.ValidateRequestAsync(ctx).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Anti-forgery token missing or invalid",
                detail: "Reload the sign-in page and try again.");
        }
        var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
        string name = form["name"].ToString().Trim().ToLowerInvariant(), password = form["password"].ToString();
        string? returnUrl = form["returnUrl"].ToString();
        var result = await users.SignInAsync(name, password, ctx.RequestAborted).ConfigureAwait(false);
        var remote = Remote(ctx);
        var log = loggers.CreateLogger("EdgeCancer.Viewer.SignIn");
        if (result.Outcome != SignInOutcome.Success)
        {
            var why = result.Outcome switch
            {
                SignInOutcome.UnknownUser => "unknown user",
                SignInOutcome.WrongPassword => "wrong password",
                SignInOutcome.Disabled => "account disabled",
                _ => "account locked",
            };
            await audit.AppendAsync(name.Length == 0 ? null : name, AuditActions.SignInFailed, name, why, remote, ctx.RequestAborted).ConfigureAwait(false);
            ViewerLog.SignInFailed(log, name, remote, why);
            if (result.LockedNow) ViewerLog.LockedOut(log, name, remote);
            if (result.LockedNow)
                await audit.AppendAsync(name, AuditActions.LockedOut, name, "too many failed sign-ins", remote, ctx.RequestAborted).ConfigureAwait(false);
            // One message for every cause, so the form does not tell which names exist.
            const string message = "Sign-in failed: wrong name or password, or the account is locked or disabled.";
            return WantsJson(ctx.Request)
                ? Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: message)
                : LoginPage(ctx, antiforgery, returnUrl, message, StatusCodes.Status401Unauthorized);
        }
        var user = result.User!;
        await ctx.SignInAsync(ViewerAuthentication.Scheme, ViewerClaims.For(user, ViewerAuthentication.Scheme)).ConfigureAwait(false);
        await audit.AppendAsync(user.Name, AuditActions.SignIn, user.Name, null, remote, ctx.RequestAborted).ConfigureAwait(false);
        ViewerLog.SignedIn(log, user.Name, remote);
        if (WantsJson(ctx.Request))
            return Results.Ok(new { name = user.Name, displayName = user.DisplayName, role = user.Role, mustChangePassword = user.MustChangePassword });
        var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/";
        return Results.Redirect(target);
    }

    private static IResult LoginPage(HttpContext ctx, IAntiforgery antiforgery, string? returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        var tokens = antiforgery.GetAndStoreTokens(ctx);
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>EdgeCancer sign-in</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <link rel="stylesheet" href="/css/app.css"></head>
            <body class="login-body">
            <main class="login-card" data-testid="login-page">
              <h1 class="brand">EdgeCancer <span class="brand-sub">DICOM AI node</span></h1>
              {{(error is null ? "" : $"<p role=\"alert\" class=\"error\" data-testid=\"login-error\">{E(error)}</p>")}}
              <form method="post" action="/login" data-testid="login-form">
                <input type="hidden" name="{{E(tokens.FormFieldName)}}" value="{{E(tokens.RequestToken)}}">
                <input type="hidden" name="returnUrl" value="{{E(returnUrl)}}">
                <label for="login-name">User name</label>
                <input id="login-name" name="name" autocomplete="username" required autofocus data-testid="login-name">
                <label for="login-password">Password</label>
                <input id="login-password" name="password" type="password" autocomplete="current-password" required data-testid="login-password">
                <button type="submit" class="primary" data-testid="login-submit">Sign in</button>
              </form>
              <p class="muted small">For use by authorised clinical staff. Sessions end after a period of inactivity.</p>
            </main>
            </body></html>
            """;
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
