using System.Diagnostics;
using System.Globalization;
using EdgeCancer.Dicom.Tests.Dictionary;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>
/// Reference pixel values from pydicom (Debian's python3-pydicom and numpy) and decompressed copies made by DCMTK,
/// the peers our pixel layer is compared with value for value.
/// </summary>
internal static class PydicomPixels
{
    public const string TestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";

    // Prints the flattened array (frame, row, column, sample order): "stored" = ds.pixel_array,
    // "modality" = apply_modality_lut, "rgb" = YBR converted to RGB when needed.
    private const string Script = """
import sys, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, convert_color_space
ds = pydicom.dcmread(sys.argv[1])
a = ds.pixel_array
mode = sys.argv[2]
if mode == 'modality': a = apply_modality_lut(a, ds)
if mode == 'rgb' and ds.PhotometricInterpretation.startswith('YBR'): a = convert_color_space(a, 'YBR_FULL', 'RGB')
sys.stdout.write(' '.join(repr(float(v)) if mode == 'modality' else str(int(v)) for v in a.ravel()))
""";

    public static string File(string name) => PeerTools.RequireFile(Path.Combine(TestFiles, name), "python3-pydicom");

    public static long[] Stored(string path) => Run(path, "stored").Select(long.Parse).ToArray();

    public static double[] Modality(string path) => Run(path, "modality").Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static byte[] Rgb(string path) => Run(path, "rgb").Select(byte.Parse).ToArray();

    private static string[] Run(string path, string mode)
    {
        PeerTools.RequireFile("/usr/bin/python3", "python3-pydicom");
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c", Script, path, mode]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(60_000)) { p.Kill(); Assert.Fail("python3 did not finish in 60 s."); }
        if (p.ExitCode != 0) Assert.Fail($"pydicom could not read {path} ({p.ExitCode}): {stderr}");
        return stdout.Result.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Runs a DCMTK decompressor (dcmdrle, dcmdjpeg) on a test file into <paramref name="directory"/>; fails clearly when it is missing.</summary>
    public static string Decompress(string tool, string source, string directory)
    {
        string exe = PeerTools.RequireFile("/usr/bin/" + tool, "dcmtk");
        string output = Path.Combine(directory, Path.GetFileNameWithoutExtension(source) + ".native.dcm");
        var psi = new ProcessStartInfo(exe, [source, output]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string stderr = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000);
        if (p.ExitCode != 0) Assert.Fail($"{tool} failed on {source}: {stderr}");
        return output;
    }
}
