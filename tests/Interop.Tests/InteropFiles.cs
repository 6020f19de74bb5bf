using System.Diagnostics;

namespace EdgeCancer.Interop.Tests;

/// <summary>
/// The real-world DICOM files the interop tests run over: every DICOM file under pydicom's test-file folder
/// (recursively) and every .dcm shipped by the dcmtk packages, with the documented list of deliberately broken ones.
/// </summary>
public static class InteropFiles
{
    public const string PydicomFolder = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>
    /// Files that are broken on purpose, with a fragment of the message our reader must give for them.
    /// DCMTK agrees they are broken (it fails or warns on each).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DeliberatelyBroken = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Cut short in the middle of the Pixel Data value.
        ["MR_truncated.dcm"] = "past the end",
        // Cut short inside a sequence.
        ["rtplan_truncated.dcm"] = "past the end",
        // Odd value lengths in the illegal group 0001 (PS3.5 §7.1.1 requires even lengths; DCMTK warns).
        ["nested_priv_SQ.dcm"] = "odd value length",
        ["meta_missing_tsyntax.dcm"] = "odd value length",
        // Claims Explicit VR but the dataset is not: (0008,0008) has VR bytes 18 00 (dcmdump also fails).
        ["SC_rgb_jpeg.dcm"] = "invalid VR",
        // Made from DICOMDIR by deleting elements without fixing the last item's length, which now runs 32 bytes
        // past the end of the file (dcmdump silently accepts the short item).
        ["DICOMDIR-nooffset"] = "past the end",
        // No meta, starts with an element whose group cannot start a dataset.
        ["no_meta.dcm"] = "not a DICOM file",
    };

    public static IEnumerable<string> All()
    {
        var files = new List<string>();
        if (Directory.Exists(PydicomFolder))
        {
            foreach (var f in Directory.EnumerateFiles(PydicomFolder, "*", SearchOption.AllDirectories))
                if (IsDicom(f)) files.Add(f);
            if (!Directory.Exists(Path.Combine(PydicomFolder, "charset_files")))
                TestContext.Progress.WriteLine($"This python3-pydicom ships no charset_files folder under {PydicomFolder}; no character set files are parsed.");
        }
        else
        {
            TestContext.Progress.WriteLine($"{PydicomFolder} is missing: install python3-pydicom.");
        }
        var dcmtk = DcmtkFiles();
        if (dcmtk.Count == 0) TestContext.Progress.WriteLine("The dcmtk packages (dcmtk, libdcmtk17, dcmtk-doc) ship no .dcm files on this system.");
        files.AddRange(dcmtk);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    public static IEnumerable<TestCaseData> Cases(bool includeBroken)
    {
        var all = All().ToList();
        if (all.Count == 0)
        {
            yield return new TestCaseData("(none)").SetName("No_test_files_found__install_python3_pydicom");
            yield break;
        }
        foreach (var f in all)
        {
            if (!includeBroken && IsBroken(f)) continue;
            yield return new TestCaseData(f).SetArgDisplayNames(Relative(f));
        }
    }

    public static IEnumerable<TestCaseData> ReadableCases() => Cases(includeBroken: false);
    public static IEnumerable<TestCaseData> AllCases() => Cases(includeBroken: true);

    public static bool IsBroken(string path) => DeliberatelyBroken.ContainsKey(Path.GetFileName(path));

    public static string Relative(string path) => path.StartsWith(PydicomFolder, StringComparison.Ordinal) ? path[(PydicomFolder.Length + 1)..] : path;

    private static bool IsDicom(string path)
    {
        if (path.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase)) return true;
        using var fs = File.OpenRead(path);
        Span<byte> head = stackalloc byte[132];
        return fs.ReadAtLeast(head, 132, throwOnEndOfStream: false) == 132 && head[128..].SequenceEqual("DICM"u8);
    }

    private static List<string> DcmtkFiles()
    {
        var result = new List<string>();
        try
        {
            var psi = new ProcessStartInfo("/bin/sh", ["-c", "dpkg -L dcmtk libdcmtk17 dcmtk-doc 2>/dev/null | grep -i '\\.dcm$'"]) { RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            foreach (var line in p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (File.Exists(line)) result.Add(line);
            p.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception) { }
        return result;
    }
}
