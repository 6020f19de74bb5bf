using System.Text.Json.Serialization;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>Attenuation class of a lesion.</summary>
public enum LesionDensity
{
    /// <summary>Soft tissue, ≈ 30–50 HU.</summary>
    Solid,
    /// <summary>Ground-glass halo (≈ −500 HU) with a solid core.</summary>
    PartSolid,
    /// <summary>Ground glass, ≈ −600 to −450 HU.</summary>
    GroundGlass,
    /// <summary>Calcified, 300–800 HU (benign granuloma).</summary>
    Calcified,
    /// <summary>Water density, 0–10 HU (benign cyst).</summary>
    Cystic,
    /// <summary>Lower than liver parenchyma, 20–35 HU (metastasis).</summary>
    Hypodense,
}

/// <summary>
/// One lesion: a main ellipsoid (semi-axes along x, y, z before the in-plane rotation), plus lobules, spicules and a
/// solid core as extra <see cref="Parts"/> in paint order. <see cref="MalignantLooking"/> is the ground truth label.
/// </summary>
public sealed record Lesion(
    int Id,
    string Kind,
    LesionDensity Density,
    bool MalignantLooking,
    string Organ,
    double X,
    double Y,
    double Z,
    double DiameterMm,
    double SemiAxisX,
    double SemiAxisY,
    double SemiAxisZ,
    float Hu,
    float CenterHu,
    int Spicules,
    int Lobules)
{
    /// <summary>All ellipsoids of the lesion, in paint order (spicules, lobules, main body, core).</summary>
    [JsonIgnore]
    public IReadOnlyList<Ellipsoid> Parts { get; init; } = [];

    /// <summary>Diameter (mm, the shorter in-plane axis) of the main body's section at <paramref name="z"/>; 0 when the plane misses it.</summary>
    public double SectionDiameterAt(double z)
    {
        double t = (z - Z) / SemiAxisZ;
        if (t <= -1 || t >= 1) return 0;
        return 2 * Math.Min(SemiAxisX, SemiAxisY) * Math.Sqrt(1 - t * t);
    }
}
