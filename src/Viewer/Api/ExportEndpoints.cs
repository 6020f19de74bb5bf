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
            var output = new SyncWriteBuffer(body);
            var archive = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct).ConfigureAwait(false);
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
                    await output.DrainAsync(ct).ConfigureAwait(false);
                }
            }
            await output.DrainAsync(ct).ConfigureAwait(false);
        }, "application/zip", $"study-{uid}.zip");
    }

    /// <summary>
    /// Write-only stream over the response body that keeps the few synchronous writes ZipArchive still makes (entry
    /// headers, data descriptors, the central directory) in memory and sends them with the next asynchronous write or
    /// <see cref="DrainAsync"/>, so no thread blocks on the network (Kestrel forbids synchronous I/O).
    /// </summary>
    private sealed class SyncWriteBuffer(Stream inner) : Stream
    {
        private readonly MemoryStream _pending = new();
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public async Task DrainAsync(CancellationToken ct)
        {
            if (_pending.Length == 0) return;
            await inner.WriteAsync(_pending.GetBuffer().AsMemory(0, (int)_pending.Length), ct).ConfigureAwait(false);
            _pending.SetLength(0);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _pending.Write(buffer);
            _written += buffer.Length;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            _written += buffer.Length;
        }

        public override void Flush() { } // kept until the next asynchronous write
        public override async Task FlushAsync(CancellationToken cancellationToken)
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
            await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
