using System.Diagnostics;
using System.Text.Json;
using EdgeCancer.Dicom.Imaging.Codecs;

namespace EdgeCancer.Dicom.Tests.Codecs.PeerTools;

/// <summary>What pydicom reports about a file's Image Pixel Module.</summary>
internal sealed record PeerImageInfo(
    string TransferSyntax,
    int Rows,
    int Columns,
    int SamplesPerPixel,
    int BitsAllocated,
    int BitsStored,
    int PixelRepresentation,
    int PlanarConfiguration,
    int NumberOfFrames,
    string PhotometricInterpretation)
{
    public PixelFrameInfo ToFrameInfo() => new(
        Rows, Columns, SamplesPerPixel, BitsAllocated, BitsStored, PixelRepresentation == 1, PlanarConfiguration);
}

/// <summary>
/// Drives the peers the codec tests compare against: DCMTK (dcmdrle, dcmdjpeg, dcmcrle, dcmcjpeg, dcmodify),
/// GDCM (gdcmconv) and Debian's python3 with pydicom (splits files into frames, reads native Pixel Data,
/// writes encapsulated files). Our DICOM reader is not used, so these tests stand on their own.
/// A missing tool fails the test with a message naming the Debian package to install.
/// </summary>
internal sealed class CodecPeer : IDisposable
{
    public const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    private const string Python = "/usr/bin/python3";

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public CodecPeer()
    {
        Directory = Path.Combine(Path.GetTempPath(), "edgecancer-codec-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public static string TestFile(string name)
    {
        string path = Path.Combine(PydicomTestFiles, name);
        if (!File.Exists(path))
        {
            Assert.Fail($"pydicom test file {path} is missing; install the Debian package python3-pydicom.");
        }

        return path;
    }

    public string PathFor(string name) => Path.Combine(Directory, name);

    /// <summary>The compressed bytes of every frame of <paramref name="dicomFile"/>, as pydicom splits them.</summary>
    public (PeerImageInfo Info, List<byte[]> Frames) ExtractFrames(string dicomFile)
    {
        string outDir = PathFor("frames-" + Guid.NewGuid().ToString("N"));
        RunPython("frames", dicomFile, outDir);
        PeerImageInfo info = ReadInfo(Path.Combine(outDir, "info.json"));
        var frames = new List<byte[]>();
        for (int i = 0; File.Exists(Path.Combine(outDir, $"frame_{i}.bin")); i++)
        {
            frames.Add(File.ReadAllBytes(Path.Combine(outDir, $"frame_{i}.bin")));
        }

        Assert.That(frames, Has.Count.EqualTo(info.NumberOfFrames), $"pydicom split {dicomFile} into a different number of frames");
        return (info, frames);
    }

    /// <summary>The raw bytes of native Pixel Data of <paramref name="dicomFile"/>, read by pydicom.</summary>
    public (PeerImageInfo Info, byte[] PixelData) ReadNative(string dicomFile)
    {
        string outFile = PathFor("native-" + Guid.NewGuid().ToString("N") + ".bin");
        RunPython("native", dicomFile, outFile);
        return (ReadInfo(outFile + ".json"), File.ReadAllBytes(outFile));
    }

    /// <summary>Writes a copy of <paramref name="template"/> whose Pixel Data is the given frames, encapsulated.</summary>
    public string Encapsulate(string template, string transferSyntax, IReadOnlyList<byte[]> frames)
    {
        var args = new List<string> { "encapsulate", template, PathFor("encapsulated-" + Guid.NewGuid().ToString("N") + ".dcm"), transferSyntax };
        for (int i = 0; i < frames.Count; i++)
        {
            string name = PathFor($"enc-{Guid.NewGuid():N}-{i}.bin");
            File.WriteAllBytes(name, frames[i]);
            args.Add(name);
        }

        RunPython([.. args]);
        return args[2];
    }

    /// <summary>A synthetic uncompressed image made by the helper script (kinds: ct512, jump16, random12, multiframe16, gray8).</summary>
    public string Synthesize(string kind)
    {
        string output = PathFor($"synth-{kind}.dcm");
        if (!File.Exists(output))
        {
            RunPython("synth", kind, output);
        }

        return output;
    }

    /// <summary>Runs a DCMTK or GDCM tool, failing the test with its output when it does not succeed.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        string path = Path.Combine("/usr/bin", tool);
        if (!File.Exists(path))
        {
            string package = tool.StartsWith("gdcm", StringComparison.Ordinal) ? "libgdcm-tools" : tool == "python3" ? "python3-pydicom" : "dcmtk";
            Assert.Fail($"{path} is missing; install the Debian package {package} to run the codec peer tests.");
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 60 s.");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Fail($"{tool} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{stdout.Result}\n{stderr.Result}");
        }

        return stdout.Result;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Leave the temp folder behind rather than hide the test outcome.
        }
    }

    private static PeerImageInfo ReadInfo(string path) =>
        JsonSerializer.Deserialize<PeerImageInfo>(File.ReadAllText(path), JsonOptions)
        ?? throw new InvalidOperationException($"empty info file {path}");

    private static void RunPython(params string[] arguments)
    {
        string script = Path.Combine(TestContext.CurrentContext.TestDirectory, "Codecs", "PeerTools", "dicom_frames.py");
        Run("python3", [script, .. arguments]);
    }
}
