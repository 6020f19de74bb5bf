using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Api;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using EdgeCancer.Viewer.Corrections;
using EdgeCancer.Viewer.Events;
using EdgeCancer.Viewer.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer;

/// <summary>
/// Composition of the web viewer. The host registers the archive (<see cref="SqlArchiveIndex"/>, FileStore,
/// <see cref="ArchiveServiceOptions"/>) and applies migrations; then it calls <see cref="AddEdgeCancerViewer"/>,
/// <see cref="MapEdgeCancerViewer"/> and, once at start, <see cref="InitializeAsync"/> (which returns the first
/// admin's one-time password for the host to print).
/// </summary>
public static class ViewerApp
{
    public static IServiceCollection AddEdgeCancerViewer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ViewerOptions>().Bind(configuration.GetSection(ViewerOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.IdleTimeout >= TimeSpan.FromMinutes(1), "Viewer:IdleTimeout must be at least 00:01:00.")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Viewer:LockoutDuration must be positive.")
            .ValidateOnStart();
        services.AddProblemDetails();
        services.AddMemoryCache(m => m.SizeLimit = 100_000);
        ViewerAuthentication.Add(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ArchiveWriter>();
        services.TryAddSingleton(sp => new AiResultStore(sp.GetRequiredService<SqlArchiveIndex>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<UserStore>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ViewAuditor>();
        services.AddSingleton<ArchiveQueries>();
        services.AddSingleton<InstanceImageLoader>();
        services.AddSingleton<CorrectionService>();
        AddLiveServices(services);
        return services;
    }

    /// <summary>Change feed (SSE), decoded-image cache and prefetch, heatmaps.</summary>
    private static void AddLiveServices(IServiceCollection services)
    {
        services.AddSingleton<WorklistChangeFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<WorklistChangeFeed>());
        services.AddSingleton(sp => new DecodedImageCache(sp.GetRequiredService<IOptions<ViewerOptions>>().Value.ImageCacheMegabytes * 1024L * 1024L));
        services.AddSingleton<PixelFrames>();
        services.AddSingleton<FramePrefetcher>();
        services.AddHostedService(sp => sp.GetRequiredService<FramePrefetcher>());
        services.AddSingleton<HeatmapService>();
    }

    /// <summary>Creates the first admin when there is none; returns its one-time password (print it once) or null.</summary>
    public static Task<string?> InitializeAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<UserStore>().EnsureAdminAsync(ct);

    public static WebApplication MapEdgeCancerViewer(this WebApplication app)
    {
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        Directory.CreateDirectory(webRoot);
        // Static assets are public (the sign-in page needs them); everything after this requires sign-in.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(webRoot), ServeUnknownFileTypes = false });
        app.UseAuthentication();
        app.UseAuthorization();

        // The app shell is served to signed-in users only (the fallback policy sends everyone else to /login);
        // its scripts and styles under wwwroot stay public. Client routes live in the fragment (/#/study/UID).
        app.MapGet("/", (HttpContext ctx) =>
        {
            ctx.Response.Headers.CacheControl = "no-store";
            return Results.Content(AppShell.Html, "text/html; charset=utf-8");
        });
        // Deep links that work without the fragment: /study/UID and /admin, /tools open the same pages.
        app.MapGet("/study/{uid}", (string uid) => Results.Redirect("/#/study/" + Uri.EscapeDataString(uid)));
        app.MapGet("/tools", () => Results.Redirect("/#/tools"));
        app.MapGet("/admin", () => Results.Redirect("/#/admin"));

        var api = app.MapGroup("/api");
        api.AddEndpointFilter<PasswordChangeFilter>();
        api.AddEndpointFilter<AntiforgeryFilter>();
        AccountEndpoints.Map(app, api);
        BrowseEndpoints.Map(api);
        InstanceEndpoints.Map(api);
        CorrectionEndpoints.Map(api);
        UploadEndpoints.Map(api);
        NetworkEndpoints.Map(api);
        AdminEndpoints.Map(api);
        EventEndpoints.Map(api);
        HeatmapEndpoints.Map(api);
        ExportEndpoints.Map(api);
        OperationsEndpoints.Map(api);
        // Unknown /api paths answer 404 problem+json to signed-in users (and 401 to others, like every API path).
        api.MapFallback(() => Results.Problem(statusCode: 404, title: "No such endpoint", detail: "See the API list in docs/viewer.md."));
        return app;
    }
}
