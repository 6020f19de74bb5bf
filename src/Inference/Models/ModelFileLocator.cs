using System.Reflection;
using System.Security.Cryptography;

namespace EdgeCancer.Inference.Models;

/// <summary>
/// Finds a model's files: in its version folder, else at the sources its manifest lists (large files such as the
/// 63.6 MB ResNet18 backbone stay out of git and are found in the NuGet package folder). Hashes them.
/// </summary>
public static class ModelFileLocator
{
    /// <summary>NuGet package folder: <c>$NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>.</summary>
    public static string NuGetPackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
            ? p
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Where the ResNet18 package was restored when this assembly was built (empty when unknown).</summary>
    public static string BuildTimeResNet18PackageFolder =>
        typeof(ModelFileLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ResNet18PackageFolder")?.Value ?? "";

    /// <summary>The full path of <paramref name="file"/>, or null when it is nowhere to be found.</summary>
    public static string? Resolve(string versionDirectory, ModelFile file)
    {
        string local = Path.Combine(versionDirectory, file.Path);
        if (File.Exists(local)) return local;
        foreach (var source in file.Sources ?? [])
        {
            string expanded = Expand(source);
            if (File.Exists(expanded)) return expanded;
        }
        return null;
    }

    /// <summary>Places searched for <paramref name="file"/>, for messages.</summary>
    public static IEnumerable<string> Candidates(string versionDirectory, ModelFile file) =>
        new[] { Path.Combine(versionDirectory, file.Path) }.Concat((file.Sources ?? []).Select(Expand));

    /// <summary>Expands <c>~</c>, <c>$NUGET_PACKAGES</c> and <c>$RESNET18_PACKAGE</c> (the build-time package folder).</summary>
    public static string Expand(string source)
    {
        string s = source;
        if (s.StartsWith("$NUGET_PACKAGES", StringComparison.Ordinal)) s = NuGetPackagesFolder + s["$NUGET_PACKAGES".Length..];
        else if (s.StartsWith("$RESNET18_PACKAGE", StringComparison.Ordinal)) s = BuildTimeResNet18PackageFolder + s["$RESNET18_PACKAGE".Length..];
        else if (s == "~" || s.StartsWith("~/", StringComparison.Ordinal)) s = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + s[1..];
        else if (s.StartsWith("$APPDIR", StringComparison.Ordinal)) s = AppContext.BaseDirectory.TrimEnd('/') + s["$APPDIR".Length..];
        return s;
    }

    /// <summary>Lowercase hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
