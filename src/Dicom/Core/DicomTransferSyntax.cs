namespace EdgeCancer.Dicom;

/// <summary>A transfer syntax and how it encodes a dataset (PS3.5 §10, Annex A).</summary>
public sealed record DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated, bool lossy = false, bool retired = false)
    {
        Uid = new DicomUid(uid);
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
        IsLossy = lossy;
        IsRetired = retired;
    }

    /// <summary>The transfer syntax UID.</summary>
    public DicomUid Uid { get; }
    /// <summary>Registered name.</summary>
    public string Name { get; }
    /// <summary>True when VRs are written in element headers.</summary>
    public bool IsExplicitVR { get; }
    /// <summary>True for Explicit VR Big Endian (retired).</summary>
    public bool IsBigEndian { get; }
    /// <summary>True when the dataset after the file meta is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }
    /// <summary>True when pixel data is encapsulated in fragments (compressed).</summary>
    public bool IsEncapsulated { get; }
    /// <summary>True for lossy compression schemes.</summary>
    public bool IsLossy { get; }
    /// <summary>True when the transfer syntax is retired.</summary>
    public bool IsRetired { get; }

    public override string ToString() => $"{Name} [{Uid.Value}]";

#pragma warning disable CS1591
    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static readonly DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian", true, false, false, true);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false, retired: true);
    public static readonly DicomTransferSyntax JPEGBaseline8Bit = new("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax JPEGExtended12Bit = new("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax JPEGLossless = new("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLosslessSV1 = new("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLSLossless = new("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGLSNearLossless = new("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax JPEG2000Lossless = new("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax JPEG2000 = new("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax JPEG2000Part2MultiComponentLossless = new("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax JPEG2000Part2MultiComponent = new("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax HTJ2KLossless = new("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax HTJ2KLosslessRPCL = new("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)", true, false, false, true);
    public static readonly DicomTransferSyntax HTJ2K = new("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax JPIPReferenced = new("1.2.840.10008.1.2.4.94", "JPIP Referenced", true, false, false, false);
    public static readonly DicomTransferSyntax JPIPReferencedDeflate = new("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", true, false, true, false);
    public static readonly DicomTransferSyntax MPEG2MPML = new("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG2MPHL = new("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG4HP41 = new("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG4HP41BD = new("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG4HP422D = new("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG4HP423D = new("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax MPEG4HP42Stereo = new("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax HEVCMP51 = new("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax HEVCM10P51 = new("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1", true, false, false, true, lossy: true);
    public static readonly DicomTransferSyntax RLELossless = new("1.2.840.10008.1.2.5", "RLE Lossless", true, false, false, true);
    public static readonly DicomTransferSyntax JPEGExtended35Retired = new("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)", true, false, false, true, lossy: true, retired: true);
    public static readonly DicomTransferSyntax JPEGSpectralSelectionNonHier68Retired = new("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)", true, false, false, true, lossy: true, retired: true);
    public static readonly DicomTransferSyntax JPEGFullProgressionNonHier1012Retired = new("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)", true, false, false, true, lossy: true, retired: true);
    public static readonly DicomTransferSyntax JPEGLosslessNonHier15Retired = new("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)", true, false, false, true, retired: true);
#pragma warning restore CS1591

    private static readonly DicomTransferSyntax[] Known =
    [
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, EncapsulatedUncompressedExplicitVRLittleEndian, DeflatedExplicitVRLittleEndian,
        ExplicitVRBigEndian, JPEGBaseline8Bit, JPEGExtended12Bit, JPEGLossless, JPEGLosslessSV1, JPEGLSLossless, JPEGLSNearLossless,
        JPEG2000Lossless, JPEG2000, JPEG2000Part2MultiComponentLossless, JPEG2000Part2MultiComponent, HTJ2KLossless, HTJ2KLosslessRPCL,
        HTJ2K, JPIPReferenced, JPIPReferencedDeflate, MPEG2MPML, MPEG2MPHL, MPEG4HP41, MPEG4HP41BD, MPEG4HP422D, MPEG4HP423D,
        MPEG4HP42Stereo, HEVCMP51, HEVCM10P51, RLELossless, JPEGExtended35Retired, JPEGSpectralSelectionNonHier68Retired,
        JPEGFullProgressionNonHier1012Retired, JPEGLosslessNonHier15Retired,
    ];

    /// <summary>Every transfer syntax this toolkit knows by UID.</summary>
    public static IReadOnlyList<DicomTransferSyntax> All => Known;

    /// <summary>Finds a transfer syntax by UID (trailing NUL/space tolerated); null when unknown.</summary>
    public static DicomTransferSyntax? Lookup(string uid)
    {
        uid = uid.TrimEnd('\0', ' ');
        foreach (var ts in Known)
            if (ts.Uid.Value == uid) return ts;
        return null;
    }

    /// <summary>
    /// Finds a transfer syntax by UID; an unknown UID is taken as an encapsulated Explicit VR Little Endian syntax
    /// (PS3.5 §10: all transfer syntaxes other than the three native ones and deflate encapsulate pixel data).
    /// </summary>
    public static DicomTransferSyntax Parse(string uid)
    {
        var known = Lookup(uid);
        if (known is not null) return known;
        uid = uid.TrimEnd('\0', ' ');
        return new DicomTransferSyntax(uid, $"Unknown transfer syntax {uid}", true, false, false, true);
    }
}
