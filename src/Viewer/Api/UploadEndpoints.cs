using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Services;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace EdgeCancer.Viewer.Api;

/// <summary>What happened to one uploaded file.</summary>
/// <param name="HttpStatus">201 stored, 400 not DICOM, 413 too large, 422 unreadable or refused, 507 no space.</param>
public sealed record UploadFileResult(string FileName, int HttpStatus, string DicomStatus, string? Comment, string? SopInstanceUid, string? StudyInstanceUid);

/// <summary>
/// Browser upload of DICOM files: each file is staged in a temporary file within the size limit, parsed completely
/// (a truncated file is refused here, where the archive's header check would not see it), then stored through
/// <see cref="ArchiveWriter"/> — the validated, durable path of C-STORE. A refused file leaves nothing behind.
/// </summary>
public static class UploadEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/upload", UploadAsync).RequireAuthorization(ViewerPolicies.Technologist);
    }

    private static async Task<IResult> UploadAsync(HttpContext ctx, ArchiveWriter writer, AuditLog audit, IOptions<ViewerOptions> options, ILoggerFactory loggers)
    {
        var o = options.Value;
        var boundary = ctx.Request.ContentType is { } ct && MediaTypeHeaderValue.TryParse(ct, out var mt) && mt.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(mt.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
            return Results.Problem(statusCode: 415, title: "Multipart form expected", detail: "Upload files as multipart/form-data, one part per file.");
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = null; // each part is limited below
        var reader = new MultipartReader(boundary, ctx.Request.Body) { BodyLengthLimit = null };
        var results = new List<UploadFileResult>();
        var user = ctx.User.UserName();
        var remote = AccountEndpoints.Remote(ctx);
        MultipartSection? section;
        while ((section = await reader.ReadNextSectionAsync(ctx.RequestAborted).ConfigureAwait(false)) is not null)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || !cd.IsFileDisposition()) continue;
            if (results.Count >= o.UploadMaxFiles)
                return Results.Problem(statusCode: 413, title: "Too many files", detail: $"At most {o.UploadMaxFiles} files per upload (Viewer:UploadMaxFiles).");
            var name = Path.GetFileName(HeaderUtilities.RemoveQuotes(cd.FileName.HasValue ? cd.FileName : cd.FileNameStar).Value ?? "file");
            var result = await StoreOneAsync(section.Body, name, writer, o.UploadMaxBytes, ctx.RequestAborted).ConfigureAwait(false);
            results.Add(result);
            await audit.AppendAsync(user, result.HttpStatus == 201 ? AuditActions.Upload : AuditActions.UploadRefused,
                result.SopInstanceUid ?? name, $"{result.DicomStatus}{(result.Comment is null ? "" : ": " + result.Comment)}", remote, ctx.RequestAborted).ConfigureAwait(false);
        }
        if (results.Count == 0)
            return Results.Problem(statusCode: 400, title: "No file", detail: "The upload contained no file part.");
        ViewerLog.Uploaded(loggers.CreateLogger("EdgeCancer.Viewer.Upload"), user, results.Count(r => r.HttpStatus == 201), results.Count(r => r.HttpStatus != 201));
        if (results.All(r => r.HttpStatus == 201)) return Results.Json(new { files = results }, statusCode: 201);
        if (results.Count == 1 || results.All(r => r.HttpStatus != 201))
        {
            var first = results.First(r => r.HttpStatus != 201);
            return Results.Problem(statusCode: first.HttpStatus, title: Title(first.HttpStatus),
                detail: $"{first.FileName}: {first.Comment}", extensions: new Dictionary<string, object?> { ["files"] = results });
        }
        return Results.Json(new { files = results }, statusCode: StatusCodes.Status207MultiStatus);
    }

    private static string Title(int status) => status switch
    {
        400 => "Not a DICOM file",
        413 => "File too large",
        507 => "No space in the archive",
        _ => "DICOM file refused",
    };

    private static async Task<UploadFileResult> StoreOneAsync(Stream body, string name, ArchiveWriter writer, long maxBytes, CancellationToken ct)
    {
        var temp = Path.Combine(Path.GetTempPath(), "edgecancer-upload-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            long total = 0;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                {
                    total += n;
                    if (total > maxBytes)
                    {
                        // Drain the rest of this part so the next one can be read.
                        while (await body.ReadAsync(buffer, ct).ConfigureAwait(false) > 0) { }
                        return new(name, 413, DicomStatus.OutOfResources.ToString(), $"The file is larger than the {FormatBytes(maxBytes)} limit (Viewer:UploadMaxBytes).", null, null);
                    }
                    await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                }
            }
            if (total == 0) return new(name, 400, DicomStatus.UnableToProcess.ToString(), "The file is empty.", null, null);
            if (!HasPart10Prefix(temp))
                return new(name, 400, DicomStatus.UnableToProcess.ToString(), "Not a DICOM Part 10 file (no DICM prefix after the 128-byte preamble).", null, null);
            try
            {
                // A full parse: a file cut short anywhere (also inside Pixel Data) fails here.
                await Task.Run(() => DicomFile.Open(temp), ct).ConfigureAwait(false);
            }
            catch (DicomReadException ex)
            {
                return new(name, 422, DicomStatus.UnableToProcess.ToString(), "The file is truncated or damaged: " + ex.Reason, null, null);
            }
            DicomFile header = DicomFile.OpenHeader(temp);
            await using var input = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var (outcome, _, _) = await writer.StoreAsync(input, maxBytes, enqueueWork: null, ct).ConfigureAwait(false);
            var sop = header.Dataset.TryGetString(DicomTags.SOPInstanceUID, out var s) ? s : null;
            var study = header.Dataset.TryGetString(DicomTags.StudyInstanceUID, out var st) ? st : null;
            if (outcome.Status.IsSuccess) return new(name, 201, outcome.Status.ToString(), null, sop, study);
            int http = outcome.Status == DicomStatus.OutOfResources ? 507 : 422;
            return new(name, http, outcome.Status.ToString(), outcome.ErrorComment, sop, study);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { } // best effort; the temp folder is cleaned by the OS too
        }
    }

    private static bool HasPart10Prefix(string path)
    {
        Span<byte> head = stackalloc byte[132];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return fs.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
    }

    private static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";
}
