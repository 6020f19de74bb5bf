using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace EdgeCancer.Inference.Training;

/// <summary>
/// Backbone features of training images kept on disk between runs (rendering and the backbone pass dominate training
/// time). Files live under a folder named after the backbone hash and the preprocessing, so a change to either
/// starts a fresh cache. Null folder: nothing is kept.
/// </summary>
public sealed class FeatureCache(string? directory, string backboneSha256, string preprocessingKey)
{
    private readonly string? _folder = directory is null ? null
        : Path.Combine(directory, backboneSha256[..12] + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(preprocessingKey)))[..12]);

    /// <summary>The cached features of <paramref name="sampleId"/>, or computes and stores them.</summary>
    public float[] GetOrCompute(string sampleId, Func<float[]> compute)
    {
        if (_folder is null) return compute();
        string path = Path.Combine(_folder, sampleId.Replace('/', '_') + ".f32");
        if (File.Exists(path)) return MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();
        var features = compute();
        Directory.CreateDirectory(_folder);
        File.WriteAllBytes(path + ".tmp", MemoryMarshal.AsBytes(features.AsSpan()).ToArray());
        File.Move(path + ".tmp", path, overwrite: true);
        return features;
    }
}
