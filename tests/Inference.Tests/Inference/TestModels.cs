using EdgeCancer.Inference.Models;

namespace EdgeCancer.Inference.Tests.Inference;

/// <summary>The committed models folder and throwaway copies of it.</summary>
internal static class TestModels
{
    /// <summary><c>models/</c> at the repository root (found by walking up to EdgeCancer.sln).</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EdgeCancer.sln")))
                    return Path.Combine(dir.FullName, "models");
            throw new DirectoryNotFoundException("EdgeCancer.sln was not found above the test output folder.");
        }
    }

    /// <summary>The manifest of the active version of <paramref name="name"/> in the committed models folder.</summary>
    public static ModelManifest ActiveManifest(string name)
    {
        var registry = new ModelRegistry(Root);
        string version = registry.GetActiveVersion(name) ?? throw new InvalidOperationException($"{name} has no active version");
        return ModelManifest.Load(Path.Combine(registry.VersionDirectory(name, version), ModelManifest.FileName));
    }

    /// <summary>Copies the manifests and head files (not the 63.6 MB backbone, found through its manifest's sources) to a temp folder.</summary>
    public static string CopyToTemp()
    {
        string target = Directory.CreateTempSubdirectory("edgecancer-models-").FullName;
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(Root, file);
            if (Path.GetFileName(file) == "ResNet18.onnx") continue;
            string destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    /// <summary>Copies version <paramref name="from"/> of a model to version <paramref name="to"/>, rewriting the manifest's version.</summary>
    public static void CopyVersion(string root, string name, string from, string to)
    {
        var registry = new ModelRegistry(root);
        string source = registry.VersionDirectory(name, from), target = registry.VersionDirectory(name, to);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var manifest = ModelManifest.Load(Path.Combine(target, ModelManifest.FileName));
        (manifest with { Version = to }).Save(Path.Combine(target, ModelManifest.FileName));
    }
}
