using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;

namespace EdgeCancer.Viewer;

/// <summary>Settings of the web viewer (config section <c>Viewer</c>).</summary>
public sealed class ViewerOptions
{
    public const string Section = "Viewer";

    /// <summary>Viewer:IdleTimeout: a session without requests for this long is signed out (sliding cookie expiry).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Viewer:SecureCookies: <c>SameAsRequest</c> (default; Secure when served over HTTPS), <c>Always</c> (behind a
    /// TLS terminator) or <c>None</c>.
    /// </summary>
    public CookieSecurePolicy SecureCookies { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>Viewer:MaxFailedSignIns: consecutive wrong passwords after which an account is locked.</summary>
    [Range(1, 100, ErrorMessage = "Viewer:MaxFailedSignIns must be between 1 and 100.")]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>Viewer:LockoutDuration: how long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Viewer:UploadMaxBytes: the largest single file accepted by <c>/api/upload</c>.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Viewer:UploadMaxBytes must be at least 1024.")]
    public long UploadMaxBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Viewer:UploadMaxFiles: most files in one upload request.</summary>
    [Range(1, 100_000, ErrorMessage = "Viewer:UploadMaxFiles must be between 1 and 100000.")]
    public int UploadMaxFiles { get; set; } = 1000;

    /// <summary>Viewer:Organization: the physicians' organization written into correction SRs (Verifying Organization).</summary>
    [Required(ErrorMessage = "Viewer:Organization must name the organization.")]
    public string Organization { get; set; } = "EdgeCancer";

    /// <summary>Viewer:ReviewSeriesNumber: Series Number of the per-study physician review (corrections) series.</summary>
    public int ReviewSeriesNumber { get; set; } = 9003;

    /// <summary>Viewer:NetworkTimeout: connect, association and reply timeout of C-ECHO and send from the page.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Viewer:EventPollInterval: how often the node checks the index for worklist changes (one query for all <c>/api/events</c> listeners).</summary>
    public TimeSpan EventPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Viewer:EventKeepAlive: a comment line is sent on <c>/api/events</c> when nothing else was sent for this long.</summary>
    public TimeSpan EventKeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Viewer:ImageCacheMegabytes: memory budget of decoded frames kept for fast scrolling (0 turns the cache off).</summary>
    [Range(0, 65536, ErrorMessage = "Viewer:ImageCacheMegabytes must be between 0 and 65536.")]
    public int ImageCacheMegabytes { get; set; } = 256;

    /// <summary>Viewer:PrefetchSlices: neighbouring images of a series decoded ahead on each side of one just requested.</summary>
    [Range(0, 64, ErrorMessage = "Viewer:PrefetchSlices must be between 0 and 64.")]
    public int PrefetchSlices { get; set; } = 4;

    /// <summary>Viewer:HeatmapPatch: occlusion patch size in model-input pixels (smaller: finer and slower).</summary>
    [Range(8, 224, ErrorMessage = "Viewer:HeatmapPatch must be between 8 and 224.")]
    public int HeatmapPatch { get; set; } = 64;

    /// <summary>Viewer:HeatmapStride: occlusion step in model-input pixels.</summary>
    [Range(4, 224, ErrorMessage = "Viewer:HeatmapStride must be between 4 and 224.")]
    public int HeatmapStride { get; set; } = 32;

    /// <summary>Viewer:HeatmapCacheEntries: heatmaps kept in memory (each is 4 bytes per pixel).</summary>
    [Range(1, 100_000, ErrorMessage = "Viewer:HeatmapCacheEntries must be between 1 and 100000.")]
    public int HeatmapCacheEntries { get; set; } = 64;
}
