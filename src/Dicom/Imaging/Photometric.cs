namespace EdgeCancer.Dicom.Imaging;

/// <summary>Defined terms of Photometric Interpretation (0028,0004), PS3.3 C.7.6.3.1.2.</summary>
public static class Photometric
{
    /// <summary>Grayscale; the minimum sample value is intended to be displayed as white.</summary>
    public const string Monochrome1 = "MONOCHROME1";
    /// <summary>Grayscale; the minimum sample value is intended to be displayed as black.</summary>
    public const string Monochrome2 = "MONOCHROME2";
    /// <summary>Red, green, blue planes or pixels.</summary>
    public const string Rgb = "RGB";
    /// <summary>Luminance and two full-resolution chrominance samples (CCIR 601 full range).</summary>
    public const string YbrFull = "YBR_FULL";
    /// <summary>As YBR_FULL with chrominance horizontally subsampled by two.</summary>
    public const string YbrFull422 = "YBR_FULL_422";
    /// <summary>Irreversible color transform of JPEG 2000 (only in compressed data).</summary>
    public const string YbrIct = "YBR_ICT";
    /// <summary>Reversible color transform of JPEG 2000 (only in compressed data).</summary>
    public const string YbrRct = "YBR_RCT";
    /// <summary>Indices into a palette color lookup table.</summary>
    public const string PaletteColor = "PALETTE COLOR";
}
