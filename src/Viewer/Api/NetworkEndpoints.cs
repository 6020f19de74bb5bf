using System.Diagnostics;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Api;

public sealed record EchoRequest(string? AeTitle);
public sealed record SendRequest(string? AeTitle, string? StudyInstanceUid);

/// <summary>C-ECHO a remote AE and send a study to one, both from the remote AE table (technologists).</summary>
public static class NetworkEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/remote-aes", async (HttpContext ctx, IArchiveIndex index) =>
            Results.Ok((await index.ListRemoteAesAsync(ctx.RequestAborted).ConfigureAwait(false))
                .Select(a => new { aeTitle = a.AeTitle, host = a.Host, port = a.Port, operations = a.AllowedOperations.ToString(), description = a.Description })))
            .RequireAuthorization(ViewerPolicies.Technologist);
        api.MapPost("/echo", EchoAsync).RequireAuthorization(ViewerPolicies.Technologist);
        api.MapPost("/send", SendAsync).RequireAuthorization(ViewerPolicies.Technologist);
    }

    private static AssociationOptions Timeouts(ViewerOptions o) =>
        new() { ConnectTimeout = o.NetworkTimeout, ArtimTimeout = o.NetworkTimeout, IdleTimeout = o.NetworkTimeout };

    private static async Task<(RemoteAe? Ae, IResult? Problem)> RemoteAsync(IArchiveIndex index, string? aeTitle, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(aeTitle)) return (null, Results.Problem(statusCode: 400, title: "AE title missing", detail: "Give aeTitle, a name from the remote AE table."));
        var ae = await index.GetRemoteAeAsync(aeTitle.Trim(), ct).ConfigureAwait(false);
        return ae is null
            ? (null, Results.Problem(statusCode: 404, title: "Unknown AE", detail: $"'{aeTitle}' is not in the remote AE table; an admin adds it to the node's configuration."))
            : (ae, null);
    }

    private static async Task<IResult> EchoAsync(HttpContext ctx, EchoRequest body, IArchiveIndex index, ArchiveServiceOptions archive, IOptions<ViewerOptions> options, AuditLog audit)
    {
        var (ae, problem) = await RemoteAsync(index, body.AeTitle, ctx.RequestAborted).ConfigureAwait(false);
        if (problem is not null) return problem;
        var clock = Stopwatch.StartNew();
        string outcome;
        IResult result;
        try
        {
            await using var client = await DicomClient.ConnectAsync(ae!.Host, ae.Port, archive.AETitle, ae.AeTitle,
                [DicomClient.Propose(1, DicomUids.Verification.Value)], options: Timeouts(options.Value), cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            var rsp = await client.EchoAsync(ctx.RequestAborted).ConfigureAwait(false);
            var ms = clock.Elapsed.TotalMilliseconds;
            await client.ReleaseAsync(ctx.RequestAborted).ConfigureAwait(false);
            outcome = rsp.Status.ToString();
            result = Results.Ok(new { aeTitle = ae.AeTitle, status = rsp.Status.ToString(), success = rsp.Status.IsSuccess, roundTripMs = ms, comment = rsp.ErrorComment });
        }
        catch (Exception ex) when (ex is DicomAssociationException or DicomNetworkException or IOException)
        {
            outcome = "failed: " + ex.Message;
            result = Results.Problem(statusCode: 502, title: "C-ECHO failed", detail: $"{ae!.AeTitle}@{ae.Host}:{ae.Port}: {ex.Message}");
        }
        await audit.AppendAsync(ctx.User.UserName(), AuditActions.Echo, ae.AeTitle, outcome, AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
        return result;
    }

    private static async Task<IResult> SendAsync(HttpContext ctx, SendRequest body, IArchiveIndex index, ArchiveQueries queries, FileStore store,
        ArchiveServiceOptions archive, IOptions<ViewerOptions> options, AuditLog audit)
    {
        if (string.IsNullOrWhiteSpace(body.StudyInstanceUid))
            return Results.Problem(statusCode: 400, title: "Study missing", detail: "Give studyInstanceUid, the study to send.");
        var (ae, problem) = await RemoteAsync(index, body.AeTitle, ctx.RequestAborted).ConfigureAwait(false);
        if (problem is not null) return problem;
        var files = await queries.StudyFilesAsync(body.StudyInstanceUid, ctx.RequestAborted).ConfigureAwait(false);
        if (files.Count == 0) return BrowseEndpoints.NotFound("study", body.StudyInstanceUid);
        // One context per SOP class and stored transfer syntax, also offering uncompressed so the peer can choose.
        var contexts = new List<PresentationContextRequest>();
        foreach (var g in files.GroupBy(f => (f.SopClassUid, f.TransferSyntaxUid)))
        {
            if (contexts.Count >= 127) break;
            var ts = new List<string>();
            if (g.Key.TransferSyntaxUid is { Length: > 0 } own) ts.Add(own);
            foreach (var u in new[] { DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value })
                if (!ts.Contains(u)) ts.Add(u);
            contexts.Add(DicomClient.Propose((byte)(contexts.Count * 2 + 1), g.Key.SopClassUid, [.. ts]));
        }
        int sent = 0, failed = 0;
        var failures = new List<object>();
        try
        {
            await using var client = await DicomClient.ConnectAsync(ae!.Host, ae.Port, archive.AETitle, ae.AeTitle, contexts,
                options: Timeouts(options.Value), cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
            foreach (var f in files)
            {
                try
                {
                    var rsp = await client.StoreAsync(store.GetFullPath(f.FilePath), ctx.RequestAborted).ConfigureAwait(false);
                    if (rsp.Status.IsFailure) { failed++; failures.Add(new { sopInstanceUid = f.SopInstanceUid, status = rsp.Status.ToString(), comment = rsp.ErrorComment }); }
                    else sent++;
                }
                catch (DicomNetworkException ex) when (!ex.Message.Contains("aborted", StringComparison.OrdinalIgnoreCase))
                {
                    failed++;
                    failures.Add(new { sopInstanceUid = f.SopInstanceUid, status = "not sent", comment = ex.Message });
                }
            }
            await client.ReleaseAsync(ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DicomAssociationException or DicomNetworkException or IOException)
        {
            await audit.AppendAsync(ctx.User.UserName(), AuditActions.Send, body.StudyInstanceUid, $"to {ae!.AeTitle}: failed after {sent}: {ex.Message}",
                AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
            return Results.Problem(statusCode: 502, title: "Send failed", detail: $"{ae.AeTitle}@{ae.Host}:{ae.Port}: {ex.Message} ({sent} of {files.Count} sent)");
        }
        await audit.AppendAsync(ctx.User.UserName(), AuditActions.Send, body.StudyInstanceUid, $"to {ae.AeTitle}: {sent} sent, {failed} failed",
            AccountEndpoints.Remote(ctx), ctx.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new { aeTitle = ae.AeTitle, studyInstanceUid = body.StudyInstanceUid, total = files.Count, sent, failed, failures });
    }
}
