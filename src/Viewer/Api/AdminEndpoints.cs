using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCancer.Viewer.Api;

public sealed record NewUser(string? Name, string? DisplayName, string? Role, string? Password);

/// <summary>Accounts and the audit trail (admins).</summary>
public static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").RequireAuthorization(ViewerPolicies.Admin);

        admin.MapGet("/audit", async (HttpContext ctx, AuditLog audit, string? user, string? action, DateTimeOffset? from, DateTimeOffset? to, int? limit) =>
            Results.Ok(await audit.QueryAsync(new AuditQuery(user, action, from?.ToUnixTimeMilliseconds(), to?.ToUnixTimeMilliseconds(), limit ?? 1000), ctx.RequestAborted).ConfigureAwait(false)));

        admin.MapGet("/users", async (HttpContext ctx, UserStore users) =>
            Results.Ok((await users.ListAsync(ctx.RequestAborted).ConfigureAwait(false)).Select(Public)));

        admin.MapPost("/users", async (HttpContext ctx, NewUser body, UserStore users, AuditLog audit) =>
        {
            var (user, password, error) = await users.CreateAsync(body.Name?.Trim().ToLowerInvariant() ?? "", body.DisplayName ?? "", body.Role?.Trim().ToLowerInvariant() ?? "",
                string.IsNullOrEmpty(body.Password) ? null : body.Password, ctx.RequestAborted).ConfigureAwait(false);
            if (user is null)
                return Results.Problem(statusCode: error!.Contains("already exists", StringComparison.Ordinal) ? 409 : 400, title: "User not created", detail: error);
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.UserCreated, user.Name, "role " + user.Role, AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            // The generated one-time password is shown to the admin once; it is stored only as a hash.
            return Results.Created($"/api/admin/users/{user.Name}", new { user = Public(user), oneTimePassword = string.IsNullOrEmpty(body.Password) ? password : null });
        });

        admin.MapPost("/users/{name}/disable", (HttpContext ctx, string name, UserStore users, AuditLog audit) => SetDisabledAsync(ctx, name, true, users, audit));
        admin.MapPost("/users/{name}/enable", (HttpContext ctx, string name, UserStore users, AuditLog audit) => SetDisabledAsync(ctx, name, false, users, audit));

        admin.MapPost("/users/{name}/reset", async (HttpContext ctx, string name, UserStore users, AuditLog audit) =>
        {
            var password = await users.ResetPasswordAsync(name, ctx.RequestAborted).ConfigureAwait(false);
            if (password is null) return Results.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{name}'.");
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.PasswordReset, name, null, AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            return Results.Ok(new { name, oneTimePassword = password });
        });
    }

    private static async Task<IResult> SetDisabledAsync(HttpContext ctx, string name, bool disabled, UserStore users, AuditLog audit)
    {
        if (disabled && name == ctx.User.UserName())
            return Results.Problem(statusCode: 409, title: "Cannot disable yourself", detail: "Another admin must disable this account.");
        if (!await users.SetDisabledAsync(name, disabled, ctx.RequestAborted).ConfigureAwait(false))
            return Results.Problem(statusCode: 404, title: "No such user", detail: $"There is no user '{name}'.");
        await audit.AppendAsync(ctx.User.UserName(), disabled ? AuditActions.UserDisabled : AuditActions.UserEnabled, name, null, AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static object Public(ViewerUser u) => new
    {
        name = u.Name,
        displayName = u.DisplayName,
        role = u.Role,
        disabled = u.Disabled,
        mustChangePassword = u.MustChangePassword,
        locked = u.LockedUntil is { } l && l > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        createdAt = DateTimeOffset.FromUnixTimeMilliseconds(u.CreatedAt),
    };
}
