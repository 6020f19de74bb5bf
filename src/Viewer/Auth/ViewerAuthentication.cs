using EdgeCancer.Viewer.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Auth;

/// <summary>Cookie sign-in, anti-forgery and the role policies of the viewer.</summary>
public static class ViewerAuthentication
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "edgecancer.session";
    public const string AntiforgeryCookieName = "edgecancer.csrf";

    public static void Add(IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<ViewerOptions>>((c, viewer) =>
        {
            var v = viewer.Value;
            c.Cookie.Name = CookieName;
            c.Cookie.HttpOnly = true;
            c.Cookie.SameSite = SameSiteMode.Strict;
            c.Cookie.SecurePolicy = v.SecureCookies;
            c.Cookie.IsEssential = true;
            // Idle timeout: the ticket expires IdleTimeout after the last request (renewed past half-time).
            c.ExpireTimeSpan = v.IdleTimeout;
            c.SlidingExpiration = true;
            c.LoginPath = "/login";
            c.Events = new CookieAuthenticationEvents
            {
                OnRedirectToLogin = ctx =>
                {
                    if (ApiProblems.IsApi(ctx.Request)) return ApiProblems.Unauthorized().ExecuteAsync(ctx.HttpContext);
                    ctx.Response.Redirect(ctx.RedirectUri);
                    return Task.CompletedTask;
                },
                OnRedirectToAccessDenied = ctx =>
                    ApiProblems.WriteAsync(ctx.HttpContext, StatusCodes.Status403Forbidden, "Not allowed for your role",
                        $"This needs another role than '{ctx.HttpContext.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value}'."),
                OnValidatePrincipal = ValidateAsync,
            };
        });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ViewerPolicies.Reader, p => p.RequireAuthenticatedUser().RequireRole(ViewerRoles.All))
            .AddPolicy(ViewerPolicies.Doctor, p => p.RequireAuthenticatedUser().RequireRole(ViewerRoles.Doctor))
            .AddPolicy(ViewerPolicies.Technologist, p => p.RequireAuthenticatedUser().RequireRole(ViewerRoles.Technologist, ViewerRoles.Admin))
            .AddPolicy(ViewerPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(ViewerRoles.Admin));

        services.AddAntiforgery(a =>
        {
            a.HeaderName = AntiforgeryFilter.HeaderName;
            a.Cookie.Name = AntiforgeryCookieName;
            a.Cookie.SameSite = SameSiteMode.Strict;
            a.Cookie.HttpOnly = true;
        });
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>()
            .Configure<IOptions<ViewerOptions>>((a, viewer) => a.Cookie.SecurePolicy = viewer.Value.SecureCookies);
    }

    /// <summary>A disabled or deleted account, or a changed role, ends the session at its next request.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext ctx)
    {
        var name = ctx.Principal?.Identity?.Name;
        var users = ctx.HttpContext.RequestServices.GetRequiredService<UserStore>();
        var user = name is null ? null : await users.FindAsync(name, ctx.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Disabled || !ctx.Principal!.IsInRole(user.Role))
        {
            ctx.RejectPrincipal();
            await ctx.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
        }
    }
}
