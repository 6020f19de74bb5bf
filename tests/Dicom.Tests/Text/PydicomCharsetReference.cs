using System.Diagnostics;
using System.Text;

namespace EdgeCancer.Dicom.Tests.Text;

/// <summary>One character-set-dependent element as Debian's pydicom reads it from a test file.</summary>
internal sealed record PydicomElement(
    string File, uint Tag, DicomVR VR, string[] SpecificCharacterSet, byte[] Raw, string Expected)
{
    public override string ToString() => $"{File} ({Tag >> 16:X4},{Tag & 0xFFFF:X4}) {VR}";
}

/// <summary>
/// Runs Debian's <c>/usr/bin/python3</c> with pydicom over its character set test files and returns, per element,
/// the raw value bytes, the raw (0008,0005) values and the text pydicom decodes. Our own file reader does not exist
/// yet, so pydicom both extracts the bytes and acts as the peer decoder.
/// </summary>
internal static class PydicomCharsetReference
{
    public const string Python = "/usr/bin/python3";
    public const string CharsetFiles = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";

    /// <summary>Dumps the given files (names inside <see cref="CharsetFiles"/>) in one python run.</summary>
    public static IReadOnlyList<PydicomElement> Dump(IEnumerable<string> fileNames)
    {
        if (!File.Exists(Python))
            Assert.Fail($"{Python} is missing: install Debian's python3 and python3-pydicom to run the character set tests.");
        var paths = fileNames.Select(f => Path.Combine(CharsetFiles, f)).ToList();
        foreach (var path in paths.Where(p => !File.Exists(p)))
            Assert.Fail($"{path} is missing: install Debian's python3-pydicom (it ships the charset test files).");

        string script = Path.Combine(TestContext.CurrentContext.TestDirectory, "Text", "pydicom_charset_dump.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.ASCII,
        };
        start.ArgumentList.Add(script);
        foreach (var path in paths) start.ArgumentList.Add(path);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill();
            Assert.Fail("pydicom did not finish reading the charset files within 120 s.");
        }
        if (process.ExitCode != 0)
            Assert.Fail($"pydicom failed (exit {process.ExitCode}); is python3-pydicom installed?\n{stderr.Result}");

        var elements = new List<PydicomElement>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split('\t');
            Assert.That(f, Has.Length.EqualTo(6), $"Unexpected line from the pydicom dump: {line}");
            string charset = Encoding.ASCII.GetString(Convert.FromHexString(f[3]));
            elements.Add(new PydicomElement(
                f[0],
                Convert.ToUInt32(f[1], 16),
                DicomVR.Parse(f[2]),
                charset.Length == 0 ? [] : charset.Split('\\'),
                Convert.FromHexString(f[4]),
                Encoding.UTF8.GetString(Convert.FromHexString(f[5]))));
        }
        return elements;
    }
}
