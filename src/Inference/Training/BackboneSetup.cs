using EdgeCancer.Inference.Models;

namespace EdgeCancer.Inference.Training;

/// <summary>
/// Registers the ImageNet ResNet18 of the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1 as
/// model <c>resnet18-imagenet</c> version 1: a manifest with its SHA-256 and the places it is found (the 63.6 MB file
/// is not committed; the NuGet package folder holds it after a restore), optionally a copy in the version folder.
/// </summary>
public static class BackboneSetup
{
    public const string Name = "resnet18-imagenet", Version = "1", FileName = "ResNet18.onnx";
    public const string InputName = "Input247", OutputName = "Pooling395_Output_0";
    private const string PackageRelative = "/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>Where the file is looked for when the version folder has no copy.</summary>
    public static IReadOnlyList<string> Sources { get; } =
    [
        "$NUGET_PACKAGES/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1" + PackageRelative,
        "$RESNET18_PACKAGE" + PackageRelative,
        "$APPDIR/DnnImageModels/ResNet18Onnx/ResNet18.onnx",
    ];

    /// <summary>Writes (or refreshes) the backbone's manifest and returns it; throws when the ONNX file cannot be found.</summary>
    public static ModelManifest Ensure(ModelRegistry registry, bool copyIntoModels)
    {
        string dir = registry.VersionDirectory(Name, Version);
        Directory.CreateDirectory(dir);
        var probe = new ModelFile(FileName, "", 0, ModelFile.OnnxRole, Sources);
        string source = ModelFileLocator.Resolve(dir, probe)
            ?? throw new FileNotFoundException($"ResNet18.onnx was not found (looked in {string.Join(", ", ModelFileLocator.Candidates(dir, probe))}); run `dotnet restore` so NuGet fetches Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1.");
        string local = Path.Combine(dir, FileName);
        if (copyIntoModels && !File.Exists(local)) File.Copy(source, local);
        var manifest = new ModelManifest
        {
            Name = Name,
            Version = Version,
            Task = ModelTask.FeatureExtraction,
            Description = "ImageNet ResNet18 (CNTK export, opset 8) from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1, used frozen: one pass per image gives the 512-d pooled features every head reads.",
            Input = new ModelTensor(InputName, [1, 3, 224, 224]),
            Output = new ModelOutput(OutputName, OutputKind.Features, [1, 512, 1, 1]),
            IntendedUse = "Feature extractor for the heads in this folder. Expects planar 224×224 images, 0–255 per channel minus the ImageNet mean, planes in BGR order.",
            Files = [new ModelFile(FileName, ModelFileLocator.Sha256(source), new FileInfo(source).Length, ModelFile.OnnxRole, Sources)],
        };
        manifest.Save(Path.Combine(dir, ModelManifest.FileName));
        return manifest;
    }
}
