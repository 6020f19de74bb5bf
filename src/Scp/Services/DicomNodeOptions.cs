using System.ComponentModel.DataAnnotations;
using System.Net;

namespace EdgeCancer.Scp.Services;

/// <summary>The DICOM listener's settings (config section <c>Dicom</c>).</summary>
public sealed class DicomNodeOptions
{
    /// <summary>Our AE title (Dicom:AETitle).</summary>
    [Required, RegularExpression(@"^[\x21-\x5B\x5D-\x7E]([\x20-\x5B\x5D-\x7E]{0,14}[\x21-\x5B\x5D-\x7E])?$", ErrorMessage = "Dicom:AETitle must be 1-16 printable ASCII characters without backslash or leading/trailing spaces.")]
    public string AETitle { get; set; } = "EDGECANCER";

    /// <summary>TCP port (Dicom:Port).</summary>
    [Range(1, 65535, ErrorMessage = "Dicom:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 11112;

    /// <summary>Address to listen on (Dicom:BindAddress); loopback by default. Beyond loopback the remote AE table applies.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Most simultaneous associations (Dicom:MaxAssociations); more are rejected transiently.</summary>
    [Range(1, 10_000, ErrorMessage = "Dicom:MaxAssociations must be between 1 and 10000.")]
    public int MaxAssociations { get; set; } = 32;

    /// <summary>Largest P-DATA-TF PDU we accept (Dicom:MaxPduLength).</summary>
    [Range(4096, 16 * 1024 * 1024, ErrorMessage = "Dicom:MaxPduLength must be between 4096 and 16777216.")]
    public int MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>ARTIM timeout in seconds (Dicom:ArtimTimeoutSeconds).</summary>
    [Range(1, 3600, ErrorMessage = "Dicom:ArtimTimeoutSeconds must be between 1 and 3600.")]
    public int ArtimTimeoutSeconds { get; set; } = 30;

    /// <summary>Idle timeout of an established association in seconds (Dicom:IdleTimeoutSeconds).</summary>
    [Range(1, 86_400, ErrorMessage = "Dicom:IdleTimeoutSeconds must be between 1 and 86400.")]
    public int IdleTimeoutSeconds { get; set; } = 300;

    /// <summary>Require calling AEs to be in the remote AE table (Dicom:RequireKnownCallingAE); default: only when not bound to loopback.</summary>
    public bool? RequireKnownCallingAE { get; set; }

    /// <summary>Seconds established associations get to finish at shutdown (Dicom:ShutdownGraceSeconds).</summary>
    [Range(0, 3600)]
    public int ShutdownGraceSeconds { get; set; } = 30;

    /// <summary>Remote AEs from configuration (Dicom:RemoteAEs:N:AETitle/Host/Port/Operations), upserted into the remote AE table at start.</summary>
    public List<RemoteAeSetting> RemoteAEs { get; set; } = [];

    /// <summary>The parsed bind address.</summary>
    public IPAddress ParsedBindAddress => IPAddress.TryParse(BindAddress, out var a) ? a : IPAddress.Loopback;

    /// <summary>True when the calling AE must be known.</summary>
    public bool MustKnowCallingAE => RequireKnownCallingAE ?? !IPAddress.IsLoopback(ParsedBindAddress);
}

/// <summary>A remote AE in configuration.</summary>
public sealed class RemoteAeSetting
{
    /// <summary>AE title.</summary>
    public string AETitle { get; set; } = "";
    /// <summary>Host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>Port.</summary>
    public int Port { get; set; } = 104;
    /// <summary>Allowed operations, comma-separated: Echo, Store, Find, Move, Get, All.</summary>
    public string Operations { get; set; } = "All";
    /// <summary>Free text.</summary>
    public string? Description { get; set; }
}
