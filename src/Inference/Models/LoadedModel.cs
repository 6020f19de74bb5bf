using Microsoft.ML.OnnxRuntime;

namespace EdgeCancer.Inference.Models;

/// <summary>A verified model with its open ONNX Runtime session. Disposing closes the session.</summary>
public sealed class LoadedModel : IDisposable
{
    internal LoadedModel(ModelManifest manifest, string directory, string onnxPath, string sha256, InferenceSession session)
    {
        Manifest = manifest;
        Directory = directory;
        OnnxPath = onnxPath;
        Sha256 = sha256;
        Session = session;
    }

    /// <summary>The manifest.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>Model name.</summary>
    public string Name => Manifest.Name;

    /// <summary>Model version.</summary>
    public string Version => Manifest.Version;

    /// <summary>The version folder.</summary>
    public string Directory { get; }

    /// <summary>Where the ONNX file was found.</summary>
    public string OnnxPath { get; }

    /// <summary>SHA-256 of the ONNX file (verified against the manifest).</summary>
    public string Sha256 { get; }

    /// <summary>The session (thread-safe for concurrent Run calls).</summary>
    public InferenceSession Session { get; }

    public void Dispose() => Session.Dispose();
}
