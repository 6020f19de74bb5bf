using System.Diagnostics;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Explain;
using EdgeCancer.Inference.Models;
using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>A heatmap PNG ready to send, or the problem that stops it.</summary>
public sealed record HeatmapPng(byte[]? Png, string? ETag, string? Model, string? Version, double BaseProbability, IResult? Problem);

/// <summary>
/// Occlusion-sensitivity heatmaps (<see cref="OcclusionSensitivity"/>) of archived images, computed on request with
/// the node's active models, kept in a <see cref="HeatmapCache"/> by (image, model version) and served as an RGBA
/// overlay. The models are optional: a viewer without an <see cref="IModelProvider"/> answers "model not available".
/// One heatmap is computed at a time (each is dozens of model runs); later requests for the same one wait and hit the cache.
/// </summary>
public sealed class HeatmapService(IServiceProvider services, IArchiveIndex index, FileStore store, IOptions<ViewerOptions> options, ILogger<HeatmapService> logger)
{
    private readonly HeatmapCache _cache = new(options.Value.HeatmapCacheEntries);
    private readonly SemaphoreSlim _computing = new(1, 1);
    private readonly Lazy<(IModelProvider? Provider, string? Problem)> _provider = new(() => Resolve(services, logger), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when this node has a model provider registered (the models may still fail to load).</summary>
    public bool HasModels => services.GetService<IServiceProviderIsService>()?.IsService(typeof(IModelProvider)) == true;

    private static (IModelProvider?, string?) Resolve(IServiceProvider services, ILogger logger)
    {
        try
        {
            var provider = services.GetService<IModelProvider>();
            return provider is null ? (null, "This viewer runs without models (Node:Models); heatmaps need the model registry.") : (provider, null);
        }
        catch (Exception ex) when (ex is ModelRejectedException or OptionsValidationException or IOException or InvalidOperationException)
        {
            ViewerLog.ModelsUnavailable(logger, ex.Message);
            return (null, "The models could not be loaded: " + ex.Message);
        }
    }

    private static IResult ModelProblem(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Model not available", detail: detail);

    public async Task<HeatmapPng> GetAsync(string sopInstanceUid, string modelName, CancellationToken ct)
    {
        var found = await index.FindInstanceAsync(sopInstanceUid, ct).ConfigureAwait(false);
        if (found is null)
            return new(null, null, null, null, 0, Results.Problem(statusCode: 404, title: "No such instance", detail: $"The archive has no instance with UID {sopInstanceUid}."));
        var (provider, problem) = _provider.Value;
        if (provider is null) return new(null, null, null, null, 0, ModelProblem(problem!));
        using var lease = provider.Acquire();
        var model = lease.Models.Find(modelName);
        if (model?.Manifest.Preprocessing is not { } spec)
        {
            var names = string.Join(", ", lease.Models.Classifiers.Where(c => c.Manifest.Preprocessing is not null).Select(c => c.Name));
            return new(null, null, null, null, 0, ModelProblem($"'{modelName}' is not an active image model on this node (active: {(names.Length == 0 ? "none" : names)})."));
        }
        var key = new HeatmapKey(sopInstanceUid, model.Name, model.Version, model.Sha256);
        var map = _cache.TryGet(key);
        if (map is null)
        {
            DicomFile file;
            try
            {
                file = await Task.Run(() => DicomFile.Open(store.GetFullPath(found.FilePath)), ct).ConfigureAwait(false);
            }
            catch (DicomReadException ex)
            {
                return new(null, null, null, null, 0, InstanceImageLoader.Unprocessable("Unreadable instance", $"The archived file cannot be read: {ex.Reason}"));
            }
            var decoded = new CtImageDecoder().Decode(file, spec);
            if (decoded.Image is not { } image)
                return new(null, null, null, null, 0, InstanceImageLoader.Unprocessable("Cannot make a heatmap", $"The image cannot be decoded for {model.Name}: {decoded.NotAnalysedReason}."));
            await _computing.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var o = options.Value;
                var clock = Stopwatch.StartNew();
                map = await Task.Run(() => _cache.GetOrCompute(key, () =>
                    OcclusionSensitivity.Compute(lease.Models, model, image, new OcclusionOptions(o.HeatmapPatch, o.HeatmapStride), ct)), ct).ConfigureAwait(false);
                ViewerLog.HeatmapComputed(logger, model.Name, model.Version, clock.ElapsedMilliseconds);
            }
            finally
            {
                _computing.Release();
            }
        }
        var png = PngEncoder.EncodeRgba(HeatmapColors.Overlay(map), map.Columns, map.Rows);
        var etag = $"\"hm-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{sopInstanceUid}|{found.FileSize}|{model.Sha256}|{options.Value.HeatmapPatch}|{options.Value.HeatmapStride}")))[..32]}\"";
        return new(png, etag, model.Name, model.Version, map.BaseProbability, null);
    }
}

/// <summary>The overlay colours of a heatmap.</summary>
public static class HeatmapColors
{
    /// <summary>Strongest overlay opacity (0–255) at the largest probability drop.</summary>
    public const int MaxAlpha = 200;

    /// <summary>
    /// RGBA pixels (straight alpha): a blue → cyan → green → yellow → red ramp by the map's normalised value, alpha
    /// proportional to it, fully transparent where hiding the region did not lower the probability.
    /// </summary>
    public static byte[] Overlay(Heatmap map)
    {
        var level = map.ToBytes();
        var rgba = new byte[level.Length * 4];
        for (int i = 0; i < level.Length; i++)
        {
            int v = level[i];
            if (v == 0) continue;
            var (r, g, b) = Ramp(v / 255.0);
            rgba[i * 4] = r;
            rgba[i * 4 + 1] = g;
            rgba[i * 4 + 2] = b;
            rgba[i * 4 + 3] = (byte)Math.Max(1, (v * MaxAlpha + 127) / 255);
        }
        return rgba;
    }

    private static (byte R, byte G, byte B) Ramp(double t)
    {
        // Four linear segments between five stops.
        ReadOnlySpan<double> stops = [0, 0.25, 0.5, 0.75, 1];
        (double R, double G, double B)[] colors = [(0, 0, 1), (0, 1, 1), (0, 1, 0), (1, 1, 0), (1, 0, 0)];
        int k = Math.Min(3, (int)(t * 4));
        double f = (t - stops[k]) / 0.25;
        var (a, b) = (colors[k], colors[k + 1]);
        static byte B8(double x) => (byte)Math.Clamp(Math.Round(x * 255), 0, 255);
        return (B8(a.R + (b.R - a.R) * f), B8(a.G + (b.G - a.G) * f), B8(a.B + (b.B - a.B) * f));
    }
}
