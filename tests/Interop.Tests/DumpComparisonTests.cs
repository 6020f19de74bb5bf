using System.Globalization;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Serialization;

namespace EdgeCancer.Interop.Tests;

/// <summary>For every uncompressed real file, our dump lists the same elements as <c>dcmdump +uc +L -Un</c>: tag, VR and value.</summary>
[TestFixture, Category("Interop")]
public sealed class DumpComparisonTests
{
    [TestCaseSource(typeof(InteropFiles), nameof(InteropFiles.ReadableCases))]
    public void Our_dump_matches_dcmdump_element_by_element(string path)
    {
        if (path == "(none)") Assert.Fail($"No DICOM test files found under {InteropFiles.PydicomFolder}; install python3-pydicom.");
        var file = DicomFile.Open(path);
        if (file.TransferSyntax.IsEncapsulated) Assert.Ignore($"compressed ({file.TransferSyntax.Name}); only uncompressed files are compared");

        var peer = PeerTools.Run("dcmdump", "+uc", "+L", "-Un", path);
        Assert.That(peer.ExitCode, Is.EqualTo(0), $"dcmdump failed: {peer.StdErr}");
        // dcmdump prints raw value bytes; PeerTools reads them as Latin-1 so every byte is one char.
        var theirs = DumpListing.Parse(peer.StdOut);
        var ours = DumpListing.Parse(DicomDumpFormatter.Format(file, new DicomDumpOptions { UidNumbers = true, PrintAll = true }));

        var problems = new List<string>();
        int n = Math.Min(theirs.Count, ours.Count);
        for (int i = 0; i < n && problems.Count < 10; i++)
        {
            var t = theirs[i];
            var o = ours[i];
            if (t.Tag != o.Tag || t.Depth != o.Depth)
            {
                problems.Add($"line {i}: dcmdump {t} / ours {o}");
                break; // the rest is shifted
            }
            if (DicomVR.TryParse(t.VR, out _) && t.VR != o.VR) problems.Add($"{t.Tag}: VR dcmdump {t.VR} / ours {o.VR}");
            else if (!SameValue(t, o)) problems.Add($"{t.Tag} {t.VR}: value dcmdump {Cut(t.Value)} / ours {Cut(o.Value)}");
        }
        if (problems.Count == 0 && theirs.Count != ours.Count)
            problems.Add($"dcmdump lists {theirs.Count} elements, ours {ours.Count}; first extra: {(theirs.Count > n ? theirs[n] : ours[n])}");
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    private static string Cut(string s) => s.Length > 120 ? s[..120] + "..." : s;

    private static bool SameValue(DumpLine t, DumpLine o)
    {
        if (t.Value == o.Value) return true;
        // Non-ASCII text: dcmdump prints raw bytes in the file's character set; character sets are checked elsewhere.
        if (t.Value.Any(c => c > 0x7E) || o.Value.Any(c => c > 0x7E)) return true;
        if (t.VR == "SQ" || o.VR == "SQ") return Count(t.Value) == Count(o.Value);
        if (t.VR is "FL" or "FD" or "OF" or "OD")
        {
            var a = t.Value.Split('\\');
            var b = o.Value.Split('\\');
            if (a.Length != b.Length) return false;
            for (int i = 0; i < a.Length; i++)
            {
                if (!double.TryParse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    || !double.TryParse(b[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return a[i] == b[i];
                if (!(x == y || Math.Abs(x - y) <= 1e-6 * Math.Max(Math.Abs(x), Math.Abs(y))) && !(double.IsNaN(x) && double.IsNaN(y))) return false;
            }
            return true;
        }
        return false;
    }

    private static string Count(string sequenceText)
    {
        int at = sequenceText.IndexOf("#=", StringComparison.Ordinal);
        return at < 0 ? sequenceText : sequenceText[at..];
    }
}
