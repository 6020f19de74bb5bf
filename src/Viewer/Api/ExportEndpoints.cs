using System.Globalization;
using System.IO.Compression;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace EdgeCancer.Viewer.Api;

/// <summary>
/// <c>GET /api/studies/{uid}/export</c>: the study's archived DICOM files, unchanged, as a zip streamed while it is
/// written (nothing is staged on disk). Entry names are PS3.10 File IDs (§8.5: components of at most 8 characters
/// from A–Z, 0–9 and _): <c>SE000001/IM000001</c>, series in Series Number order, images in Instance Number order.
/// </summary>
public static class ExportEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        // Doctors, technologists and admins: every role.
        api.MapGet("/studies/{uid}/export", ExportAsync).RequireAuthorization(ViewerPolicies.Reader);
    }

    private static async Task<IResult> ExportAsync(HttpContext ctx, string uid, ArchiveQueries queries, FileStore store, AuditLog audit, ILoggerFactory loggers)
    {
        var files = await queries.ExportFilesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
        if (files.Count == 0) return BrowseEndpoints.NotFound("study", uid);
        var user = ctx.User.UserName();
        await audit.AppendAsync(user, AuditActions.Export, uid, $"{files.Count} files, {files.Sum(f => f.FileSize)} bytes",
            AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
        ViewerLog.Exported(loggers.CreateLogger("EdgeCancer.Viewer.Export"), user, files.Count);
        ctx.Response.Headers.CacheControl = "no-store";
        return Results.Stream(async body =>
        {
            var ct = ctx.RequestAborted;
            var archive = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct).ConfigureAwait(false);
            await using (archive.ConfigureAwait(false))
            {
                var seriesNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
                var imageNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var f in files)
                {
                    if (!seriesNumbers.TryGetValue(f.SeriesInstanceUid, out int se)) seriesNumbers[f.SeriesInstanceUid] = se = seriesNumbers.Count + 1;
                    int im = imageNumbers[f.SeriesInstanceUid] = imageNumbers.GetValueOrDefault(f.SeriesInstanceUid) + 1;
                    var name = string.Create(CultureInfo.InvariantCulture, $"SE{se:D6}/IM{im:D6}");
                    var entry = archive.CreateEntry(name, CompressionLevel.Fastest);
                    var source = new FileStream(store.GetFullPath(f.FilePath), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await using (source.ConfigureAwait(false))
                    {
                        var target = await entry.OpenAsync(ct).ConfigureAwait(false);
                        await using (target.ConfigureAwait(false))
                            await source.CopyToAsync(target, ct).ConfigureAwait(false);
                    }
                }
            }
        }, "application/zip", $"study-{uid}.zip");
    }
}
