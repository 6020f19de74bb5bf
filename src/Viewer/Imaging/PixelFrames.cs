using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Scp.Index;
using Microsoft.AspNetCore.Http;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>
/// The modality values (HU for CT) of a grayscale frame as little-endian Int16 with their geometry headers — the body
/// of <c>/pixels</c> — decoded once and then served from <see cref="DecodedImageCache"/>.
/// </summary>
public sealed class PixelFrames(InstanceImageLoader loader, DecodedImageCache cache)
{
    // Decodes under way by cache key: a browser request for a slice the prefetcher is decoding (or two tabs asking
    // for the same slice) waits for that decode instead of starting another one on the node's few cores.
    private readonly ConcurrentDictionary<string, Lazy<Task<(CachedImage?, IResult?)>>> _inflight = new(StringComparer.Ordinal);
    private long _decodes;

    /// <summary>Frames decoded since start (requests and prefetch; cache hits and shared decodes not counted).</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>The headers of a pixels response that the browser may read (CORS-safe exposure).</summary>
    public const string ExposedHeaders = "X-Rows, X-Columns, X-Frames, X-PixelSpacing, X-Photometric, X-Window-Center, X-Window-Width";

    /// <summary>
    /// The entity tag of a representation of one frame: the instance's archived file (path and size change when it is
    /// stored again), the frame and <paramref name="variant"/> (e.g. the PNG's window).
    /// </summary>
    public static string ETag(string kind, IndexedInstance found, int frame, string variant = "")
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{found.SopInstanceUid}|{found.FilePath}|{found.FileSize}|{frame}|{variant}"));
        return $"\"{kind}-{Convert.ToHexStringLower(hash)[..32]}\"";
    }

    /// <summary>True when the request's If-None-Match names <paramref name="etag"/> (RFC 9110 §13.1.2, weak comparison).</summary>
    public static bool NotModified(HttpRequest request, string etag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
        {
            if (value is null) continue;
            foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (part == "*" || part == etag || part == "W/" + etag) return true;
        }
        return false;
    }

    /// <summary>The frame (1-based) from the cache, or decoded and cached; or the problem.</summary>
    public async Task<(CachedImage? Frame, IResult? Problem)> GetAsync(IndexedInstance found, int frame, CancellationToken ct)
    {
        var key = ETag("px", found, frame);
        if (cache.TryGet(key) is { } hit) return (hit, null);
        return await SharedDecodeAsync(key, found, frame).WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// One decode per key at a time, stored in the cache when done. Not cancelled by one waiter going away: a decode
    /// takes tens of milliseconds and its result is wanted by the cache anyway.
    /// </summary>
    private Task<(CachedImage?, IResult?)> SharedDecodeAsync(string key, IndexedInstance found, int frame)
    {
        var mine = new Lazy<Task<(CachedImage?, IResult?)>>(() => DecodeAndStoreAsync(key, found, frame));
        var task = _inflight.GetOrAdd(key, mine);
        return task.Value;
    }

    private async Task<(CachedImage?, IResult?)> DecodeAndStoreAsync(string key, IndexedInstance found, int frame)
    {
        try
        {
            // A decode that finished between the caller's cache miss and this one's start has stored its frame.
            if (cache.TryGet(key) is { } done) return (done, null);
            Interlocked.Increment(ref _decodes);
            var (decoded, problem) = await DecodeAsync(found, frame, CancellationToken.None).ConfigureAwait(false);
            if (decoded is not null) cache.Set(key, decoded);
            return (decoded, problem);
        }
        finally
        {
            _inflight.TryRemove(key, out _);
        }
    }

    /// <summary>Decodes into the cache unless it is there already (prefetch).</summary>
    public async Task WarmAsync(IndexedInstance found, CancellationToken ct)
    {
        var key = ETag("px", found, 1);
        if (cache.Contains(key)) return;
        await SharedDecodeAsync(key, found, 1).WaitAsync(ct).ConfigureAwait(false);
    }

    private async Task<(CachedImage?, IResult?)> DecodeAsync(IndexedInstance found, int number, CancellationToken ct)
    {
        var loaded = await loader.OpenAsync(found, ct).ConfigureAwait(false);
        if (loaded.Problem is not null) return (null, loaded.Problem);
        var (image, problem) = InstanceImageLoader.Renderer(loaded.File!);
        if (problem is not null) return (null, problem);
        var pd = image!.PixelData;
        if (number < 1 || number > pd.FrameCount)
            return (null, Results.Problem(statusCode: 400, title: "No such frame", detail: $"frame is 1 to {pd.FrameCount} for this image."));
        if (!pd.IsGrayscale)
            return (null, InstanceImageLoader.Unprocessable("Not grayscale", $"Raw values are served for MONOCHROME1/2 only; this image is {pd.PhotometricInterpretation}. Use image.png."));
        byte[] bytes;
        try
        {
            bytes = ModalityInt16(image, number - 1);
        }
        catch (DicomCodecException ex)
        {
            return (null, InstanceImageLoader.Unprocessable("Cannot decode", ex.Message));
        }
        catch (DicomDataException ex)
        {
            return (null, InstanceImageLoader.Unprocessable("Cannot decode", ex.Message));
        }
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Rows", pd.Rows.ToString(CultureInfo.InvariantCulture)),
            new("X-Columns", pd.Columns.ToString(CultureInfo.InvariantCulture)),
            new("X-Frames", pd.FrameCount.ToString(CultureInfo.InvariantCulture)),
        };
        var ds = loaded.File!.Dataset;
        if (ds.TryGetString(DicomTags.PixelSpacing, out var spacing)) headers.Add(new("X-PixelSpacing", spacing));
        if (pd.IsMonochrome1) headers.Add(new("X-Photometric", "MONOCHROME1"));
        try
        {
            if (image.WindowPresets.Count > 0)
            {
                headers.Add(new("X-Window-Center", image.WindowPresets[0].Center.ToString(CultureInfo.InvariantCulture)));
                headers.Add(new("X-Window-Width", image.WindowPresets[0].Width.ToString(CultureInfo.InvariantCulture)));
            }
        }
        catch (DicomDataException)
        {
            // An inconsistent stored window is not a reason to refuse the pixels; the client picks a preset.
        }
        return (new CachedImage(bytes, "application/octet-stream", headers), null);
    }

    /// <summary>
    /// Modality values of a frame, rounded and clamped to Int16, little-endian. A linear Modality LUT (Rescale
    /// Slope/Intercept, PS3.3 C.11.1.1.2) is applied to the stored integers directly — with slope 1 and an integral
    /// intercept (every CT we make) as an integer add — which is several times faster than going through doubles.
    /// </summary>
    private static byte[] ModalityInt16(Dicom.Imaging.DicomImage image, int frame)
    {
        var lut = image.ModalityLut;
        int count = image.PixelData.SampleCount;
        var bytes = new byte[count * 2];
        if (lut.Table is not null || !BitConverter.IsLittleEndian)
        {
            var values = image.GetModalityValues(frame);
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), (short)Math.Clamp(Math.Round(values[i]), short.MinValue, short.MaxValue));
            return bytes;
        }
        var pd = image.PixelData;
        var target = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(bytes.AsSpan());
        bool integral = lut.Slope == 1 && lut.Intercept == Math.Floor(lut.Intercept) && Math.Abs(lut.Intercept) < 1 << 20;
        if (integral && !pd.IsEncapsulated && !pd.TransferSyntax.IsBigEndian && pd.BitsAllocated == 16 && pd.BitsStored == 16 && pd.SamplesPerPixel == 1)
        {
            // Native little-endian 16-bit samples using every bit (PS3.5 8.1.1): the stored frame is already the
            // Int16/UInt16 array; copy it and add the intercept in place, with no intermediate int[] of the values.
            pd.CopyNativeFrame(frame, bytes);
            int add = (int)lut.Intercept;
            if (pd.IsSigned)
            {
                if (add != 0)
                    for (int i = 0; i < target.Length; i++) target[i] = (short)Math.Clamp(target[i] + add, short.MinValue, short.MaxValue);
            }
            else
            {
                var raw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes.AsSpan());
                for (int i = 0; i < raw.Length; i++) target[i] = (short)Math.Clamp(raw[i] + add, short.MinValue, short.MaxValue);
            }
            return bytes;
        }
        var stored = pd.GetStoredValues(frame);
        if (integral)
        {
            int intercept = (int)lut.Intercept;
            for (int i = 0; i < stored.Length; i++) target[i] = (short)Math.Clamp(stored[i] + intercept, short.MinValue, short.MaxValue);
        }
        else
        {
            double slope = lut.Slope, intercept = lut.Intercept;
            for (int i = 0; i < stored.Length; i++) target[i] = (short)Math.Clamp(Math.Round(slope * stored[i] + intercept), short.MinValue, short.MaxValue);
        }
        return bytes;
    }
}
