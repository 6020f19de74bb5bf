using System.Buffers.Binary;
using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.Serialization;
using EdgeCancer.Inference.Pipeline;
using EdgeCancer.Scp.Index;
using EdgeCancer.Viewer.Accounts;
using EdgeCancer.Viewer.Audit;
using EdgeCancer.Viewer.Imaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace EdgeCancer.Viewer.Api;

/// <summary>One attribute of the attribute browser; <see cref="Items"/> holds a sequence's items.</summary>
public sealed record AttributeNode(string Tag, string? Keyword, string VR, string? Value, IReadOnlyList<IReadOnlyList<AttributeNode>>? Items = null);

/// <summary>Rendered image, raw modality values, attributes and AI results of one instance.</summary>
public static class InstanceEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/instances/{uid}/image.png", ImagePngAsync).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/instances/{uid}/pixels", PixelsAsync).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/studies/{uid}/first/pixels", FirstPixelsAsync).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/instances/{uid}/attributes", async (HttpContext ctx, string uid, InstanceImageLoader loader) =>
        {
            var loaded = await loader.OpenAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            if (loaded is null) return BrowseEndpoints.NotFound("instance", uid);
            if (loaded.Problem is not null) return loaded.Problem;
            return Results.Ok(new
            {
                transferSyntax = loaded.File!.TransferSyntax.Uid.Value,
                transferSyntaxName = loaded.File.TransferSyntax.Name,
                fileMetaInformation = Attributes(loaded.File.FileMetaInfo),
                dataset = Attributes(loaded.File.Dataset),
            });
        }).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/instances/{uid}/ai", async (HttpContext ctx, string uid, AiResultStore results, IArchiveIndex index, HeatmapService heatmaps) =>
        {
            if (await index.FindInstanceAsync(uid, ctx.RequestAborted).ConfigureAwait(false) is null) return BrowseEndpoints.NotFound("instance", uid);
            var rows = await results.ForImageAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            return Results.Ok(new { sopInstanceUid = uid, results = rows.Select(r => AiJson(r, heatmaps.HasModels ? HeatmapUrl(r) : null)).ToList() });
        }).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/series/{uid}/ai", async (HttpContext ctx, string uid, AiResultStore results, HeatmapService heatmaps) =>
        {
            var rows = await results.ForSeriesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            var summary = await results.SeriesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            var top = rows.Where(r => r.MalignancyProbability is not null).MaxBy(r => r.MalignancyProbability);
            return Results.Ok(new
            {
                seriesInstanceUid = uid,
                mostSuspiciousSopInstanceUid = top?.SopInstanceUid,
                maxMalignancyProbability = top?.MalignancyProbability,
                summarySopInstanceUid = summary?.SummarySopInstanceUid,
                images = rows.Select(r => AiJson(r, heatmaps.HasModels ? HeatmapUrl(r) : null)).ToList(),
            });
        }).RequireAuthorization(ViewerPolicies.Reader);
    }

    /// <summary>The model whose heatmap explains a result: the malignancy model when it ran on the image.</summary>
    public const string HeatmapModel = "chest-malignancy";

    private static string? HeatmapUrl(AiResultRow r) =>
        r.Status == AnalysisStatus.Done && r.MalignancyProbability is not null && r.Models.Any(m => m.Name == HeatmapModel)
            ? $"/api/instances/{Uri.EscapeDataString(r.SopInstanceUid)}/heatmap.png?model={HeatmapModel}"
            : null;

    private static object AiJson(AiResultRow r, string? heatmapUrl) => new
    {
        modelSet = r.ModelSet,
        status = r.Status,
        reason = r.Reason,
        sopInstanceUid = r.SopInstanceUid,
        instanceNumber = r.InstanceNumber,
        bodyPart = r.BodyPart,
        bodyPartProbability = r.BodyPartProbability,
        chestProbability = r.ChestProbability,
        malignancyProbability = r.MalignancyProbability,
        models = r.Models.Select(m => new { name = m.Name, version = m.Version, sha256 = m.Sha256 }),
        srSopInstanceUid = r.SrSopInstanceUid,
        createdAt = DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        // Occlusion heatmap of the malignancy model, computed on first request; null when this node has no models.
        heatmapUrl,
        label = "AI output",
    };

    private static async Task<IResult> ImagePngAsync(HttpContext ctx, string uid, InstanceImageLoader loader, ViewAuditor views, IArchiveIndex archive, DecodedImageCache cache,
        int? frame, double? wc, double? ww, bool? invert, string? preset)
    {
        VoiWindow? window = null;
        if (preset is not null)
        {
            if (!WindowPresets.ByName.TryGetValue(preset, out var p))
                return Results.Problem(statusCode: 400, title: "Unknown preset", detail: $"preset is one of: {string.Join(", ", WindowPresets.ByName.Keys)}.");
            window = p;
        }
        if (wc is not null || ww is not null)
        {
            if (wc is null || ww is null || !double.IsFinite(wc.Value) || !double.IsFinite(ww.Value) || ww < 1)
                return Results.Problem(statusCode: 400, title: "Invalid window", detail: "Give both wc and ww, with ww at least 1.");
            window = new VoiWindow(wc.Value, ww.Value);
        }
        var found = await archive.FindInstanceAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
        if (found is null) return BrowseEndpoints.NotFound("instance", uid);
        var variant = string.Create(CultureInfo.InvariantCulture, $"{window?.Center}|{window?.Width}|{invert == true}");
        var etag = PixelFrames.ETag("png", found, frame ?? 1, variant);
        ctx.Response.Headers.ETag = etag;
        ctx.Response.Headers.CacheControl = PrivateCache;
        if (PixelFrames.NotModified(ctx.Request, etag))
        {
            await views.ImageViewedAsync(ctx, found.SeriesInstanceUid, uid).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        if (cache.TryGet(etag) is { } hit)
        {
            await views.ImageViewedAsync(ctx, found.SeriesInstanceUid, uid).ConfigureAwait(false);
            return Results.Bytes(hit.Body, hit.ContentType);
        }
        var (loaded, image, index, problem) = await OpenFrameAsync(ctx, uid, loader, frame).ConfigureAwait(false);
        if (problem is not null)
        {
            ctx.Response.Headers.Remove("ETag");
            ctx.Response.Headers.Remove("Cache-Control");
            return problem;
        }
        byte[] png;
        try
        {
            var pd = image!.PixelData;
            if (pd.IsGrayscale)
            {
                var gray = image.RenderGray8(index, window);
                if (invert == true) for (int i = 0; i < gray.Length; i++) gray[i] = (byte)(255 - gray[i]);
                png = PngEncoder.EncodeGray8(gray, pd.Columns, pd.Rows);
            }
            else
            {
                var rgb = image.RenderRgb24(index);
                if (invert == true) for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(255 - rgb[i]);
                png = PngEncoder.EncodeRgb24(rgb, pd.Columns, pd.Rows);
            }
        }
        catch (Exception ex) when (ex is DicomCodecException or DicomDataException)
        {
            ctx.Response.Headers.Remove("ETag");
            ctx.Response.Headers.Remove("Cache-Control");
            return InstanceImageLoader.Unprocessable(ex is DicomCodecException ? "Cannot decode" : "Cannot render", ex.Message);
        }
        cache.Set(etag, new CachedImage(png, "image/png", []));
        await views.ImageViewedAsync(ctx, loaded!.Index.SeriesInstanceUid, uid).ConfigureAwait(false);
        return Results.Bytes(png, "image/png");
    }

    /// <summary>
    /// Modality values (HU for CT) of a grayscale frame as little-endian Int16 (clamped), for windowing in the
    /// browser; geometry and the stored window in headers. Served from the decoded-frame cache, with an ETag so the
    /// browser revalidates with a 304 instead of downloading again; the neighbouring slices are decoded ahead.
    /// </summary>
    private static async Task<IResult> PixelsAsync(HttpContext ctx, string uid, IArchiveIndex index, PixelFrames frames, FramePrefetcher prefetch, ViewAuditor views, int? frame)
    {
        var found = await index.FindInstanceAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
        if (found is null) return BrowseEndpoints.NotFound("instance", uid);
        return await PixelsOfAsync(ctx, found, frames, prefetch, views, frame).ConfigureAwait(false);
    }

    /// <summary>The modalities of series the viewer does not open first (no image to show).</summary>
    private static readonly string[] NonImageModalities = ["SR", "KO", "PR", "DOC"];

    /// <summary>
    /// The pixels of the slice the viewer shows first when a study is opened — the first instance (Instance Number
    /// order) of the first series (Series Number order) that is not SR/KO/PR/DOC — so the browser can ask for it
    /// together with the series list instead of after it. <c>X-Sop-Instance-Uid</c> names the instance.
    /// </summary>
    private static async Task<IResult> FirstPixelsAsync(HttpContext ctx, string uid, ArchiveQueries queries, IArchiveIndex index, PixelFrames frames, FramePrefetcher prefetch, ViewAuditor views)
    {
        var series = await queries.SeriesAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
        if (series is null) return BrowseEndpoints.NotFound("study", uid);
        var first = series.FirstOrDefault(s => !NonImageModalities.Contains(s.Modality ?? "", StringComparer.Ordinal) && s.FirstSopInstanceUid is not null)?.FirstSopInstanceUid;
        if (first is null) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No image", detail: $"Study {uid} has no image series.");
        var found = await index.FindInstanceAsync(first, ctx.RequestAborted).ConfigureAwait(false);
        if (found is null) return BrowseEndpoints.NotFound("instance", first);
        ctx.Response.Headers["X-Sop-Instance-Uid"] = first;
        return await PixelsOfAsync(ctx, found, frames, prefetch, views, null).ConfigureAwait(false);
    }

    private static async Task<IResult> PixelsOfAsync(HttpContext ctx, IndexedInstance found, PixelFrames frames, FramePrefetcher prefetch, ViewAuditor views, int? frame)
    {
        string uid = found.SopInstanceUid;
        int number = frame ?? 1;
        if (number < 1) return Results.Problem(statusCode: 400, title: "No such frame", detail: "frame counts from 1.");
        var etag = PixelFrames.ETag("px", found, number);
        var h = ctx.Response.Headers;
        if (PixelFrames.NotModified(ctx.Request, etag))
        {
            h.ETag = etag;
            h.CacheControl = PrivateCache;
            await views.ImageViewedAsync(ctx, found.SeriesInstanceUid, uid).ConfigureAwait(false);
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        var (cached, problem) = await frames.GetAsync(found, number, ctx.RequestAborted).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (number == 1) prefetch.Request(found.SeriesInstanceUid, uid);
        foreach (var (name, value) in cached!.Headers) h[name] = value;
        h.AccessControlExposeHeaders = PixelFrames.ExposedHeaders + ", X-Sop-Instance-Uid";
        h.ETag = etag;
        h.CacheControl = PrivateCache;
        await views.ImageViewedAsync(ctx, found.SeriesInstanceUid, uid).ConfigureAwait(false);
        return Results.Bytes(cached.Body, cached.ContentType);
    }

    /// <summary>Images never change under their ETag; the browser keeps them for an hour and then revalidates.</summary>
    private const string PrivateCache = "private, max-age=3600";

    private static async Task<(LoadedInstance? Loaded, DicomImage? Image, int FrameIndex, IResult? Problem)> OpenFrameAsync(HttpContext ctx, string uid, InstanceImageLoader loader, int? frame)
    {
        var loaded = await loader.OpenAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
        if (loaded is null) return (null, null, 0, BrowseEndpoints.NotFound("instance", uid));
        if (loaded.Problem is not null) return (loaded, null, 0, loaded.Problem);
        var (image, problem) = InstanceImageLoader.Renderer(loaded.File!);
        if (problem is not null) return (loaded, null, 0, problem);
        int number = frame ?? 1;
        if (number < 1 || number > image!.PixelData.FrameCount)
            return (loaded, null, 0, Results.Problem(statusCode: 400, title: "No such frame", detail: $"frame is 1 to {image!.PixelData.FrameCount} for this image."));
        return (loaded, image, number - 1, null);
    }

    /// <summary>Every attribute of a dataset, sequences nested.</summary>
    public static IReadOnlyList<AttributeNode> Attributes(DicomDataset ds)
    {
        var options = new DicomDumpOptions { UidNumbers = true, MaxValueChars = 1024 };
        var list = new List<AttributeNode>(ds.Count);
        foreach (var item in ds)
        {
            var tag = $"({item.Tag.Group:X4},{item.Tag.Element:X4})";
            var keyword = DicomDictionary.Find(item.Tag)?.Keyword;
            switch (item)
            {
                case DicomSequence sq:
                    list.Add(new AttributeNode(tag, keyword, "SQ", $"{sq.Items.Count} item(s)", sq.Items.Select(Attributes).ToList()));
                    break;
                case DicomFragmentSequence frag:
                    list.Add(new AttributeNode(tag, keyword, item.VR.Code, $"encapsulated, {frag.Fragments.Count} fragment(s)"));
                    break;
                case DicomElement e when item.Tag == DicomTags.PixelData || e.Length > 4096 && !e.VR.IsString:
                    list.Add(new AttributeNode(tag, keyword, e.VR.Code, $"({e.Length} bytes)"));
                    break;
                case DicomElement e:
                    var (text, _) = DicomDumpFormatter.ValueText(e, ds, options);
                    if (text.Length >= 2 && text[0] == '[' && text[^1] == ']') text = text[1..^1];
                    list.Add(new AttributeNode(tag, keyword, e.VR.Code, e.Length == 0 ? "" : text));
                    break;
            }
        }
        return list;
    }
}
