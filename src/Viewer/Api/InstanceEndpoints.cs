using System.Buffers.Binary;
using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.Serialization;
using EdgeCancer.Inference.Pipeline;
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
        api.MapGet("/instances/{uid}/ai", async (HttpContext ctx, string uid, AiResultStore results, Scp.Index.IArchiveIndex index) =>
        {
            if (await index.FindInstanceAsync(uid, ctx.RequestAborted).ConfigureAwait(false) is null) return BrowseEndpoints.NotFound("instance", uid);
            var rows = await results.ForImageAsync(uid, ctx.RequestAborted).ConfigureAwait(false);
            return Results.Ok(new { sopInstanceUid = uid, results = rows.Select(AiJson).ToList() });
        }).RequireAuthorization(ViewerPolicies.Reader);
        api.MapGet("/series/{uid}/ai", async (HttpContext ctx, string uid, AiResultStore results) =>
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
                images = rows.Select(AiJson).ToList(),
            });
        }).RequireAuthorization(ViewerPolicies.Reader);
    }

    private static object AiJson(AiResultRow r) => new
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
        // Heatmaps are not produced yet (issue 5 §4); the viewer shows none while this is null.
        heatmapUrl = (string?)null,
        label = "AI output",
    };

    private static async Task<IResult> ImagePngAsync(HttpContext ctx, string uid, InstanceImageLoader loader, ViewAuditor views,
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
        var (loaded, image, index, problem) = await OpenFrameAsync(ctx, uid, loader, frame).ConfigureAwait(false);
        if (problem is not null) return problem;
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
        catch (DicomCodecException ex)
        {
            return InstanceImageLoader.Unprocessable("Cannot decode", ex.Message);
        }
        catch (DicomDataException ex)
        {
            return InstanceImageLoader.Unprocessable("Cannot render", ex.Message);
        }
        await views.ImageViewedAsync(ctx, loaded!.Index.SeriesInstanceUid, uid).ConfigureAwait(false);
        ctx.Response.Headers.CacheControl = "private, max-age=300";
        return Results.File(png, "image/png");
    }

    /// <summary>
    /// Modality values (HU for CT) of a grayscale frame as little-endian Int16 (clamped), for windowing in the
    /// browser; geometry and the stored window in headers.
    /// </summary>
    private static async Task<IResult> PixelsAsync(HttpContext ctx, string uid, InstanceImageLoader loader, ViewAuditor views, int? frame)
    {
        var (loaded, image, index, problem) = await OpenFrameAsync(ctx, uid, loader, frame).ConfigureAwait(false);
        if (problem is not null) return problem;
        var pd = image!.PixelData;
        if (!pd.IsGrayscale)
            return InstanceImageLoader.Unprocessable("Not grayscale", $"Raw values are served for MONOCHROME1/2 only; this image is {pd.PhotometricInterpretation}. Use image.png.");
        double[] values;
        try
        {
            values = image.GetModalityValues(index);
        }
        catch (DicomCodecException ex)
        {
            return InstanceImageLoader.Unprocessable("Cannot decode", ex.Message);
        }
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)Math.Clamp(Math.Round(values[i]), short.MinValue, short.MaxValue));
        var h = ctx.Response.Headers;
        var ds = loaded!.File!.Dataset;
        h["X-Rows"] = pd.Rows.ToString(CultureInfo.InvariantCulture);
        h["X-Columns"] = pd.Columns.ToString(CultureInfo.InvariantCulture);
        h["X-Frames"] = pd.FrameCount.ToString(CultureInfo.InvariantCulture);
        if (ds.TryGetString(DicomTags.PixelSpacing, out var spacing)) h["X-PixelSpacing"] = spacing;
        if (pd.IsMonochrome1) h["X-Photometric"] = "MONOCHROME1";
        try
        {
            if (image.WindowPresets.Count > 0)
            {
                h["X-Window-Center"] = image.WindowPresets[0].Center.ToString(CultureInfo.InvariantCulture);
                h["X-Window-Width"] = image.WindowPresets[0].Width.ToString(CultureInfo.InvariantCulture);
            }
        }
        catch (DicomDataException)
        {
            // An inconsistent stored window is not a reason to refuse the pixels; the client picks a preset.
        }
        h.AccessControlExposeHeaders = "X-Rows, X-Columns, X-Frames, X-PixelSpacing, X-Photometric, X-Window-Center, X-Window-Width";
        h.CacheControl = "private, max-age=300";
        await views.ImageViewedAsync(ctx, loaded.Index.SeriesInstanceUid, uid).ConfigureAwait(false);
        return Results.File(bytes, "application/octet-stream");
    }

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
