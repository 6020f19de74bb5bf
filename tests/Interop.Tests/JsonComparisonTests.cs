using System.Diagnostics;
using System.Text.Json;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Serialization;

namespace EdgeCancer.Interop.Tests;

/// <summary>Our DICOM JSON (PS3.18 F.2) of every uncompressed real file agrees with pydicom's <c>to_json_dict()</c>: keys, VRs and values.</summary>
[TestFixture, Category("Interop")]
public sealed class JsonComparisonTests
{
    private const string Python = "/usr/bin/python3";
    private Dictionary<string, string> _pydicomJson = [];

    [OneTimeSetUp]
    public void RunPydicomOnce()
    {
        if (!File.Exists(Python)) Assert.Fail($"{Python} is missing; install python3-pydicom.");
        var files = InteropFiles.All().Where(f => !InteropFiles.IsBroken(f)).ToList();
        const string script = """
import sys, json, pydicom
out = {}
for path in sys.stdin.read().split('\n'):
    if not path: continue
    try:
        out[path] = pydicom.dcmread(path).to_json_dict()
    except Exception as e:
        out[path] = {"error": repr(e)}
print(json.dumps(out))
""";
        var psi = new ProcessStartInfo(Python, ["-c", script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(string.Join('\n', files));
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); Assert.Fail("pydicom did not finish in 120 s."); }
        if (p.ExitCode != 0) Assert.Fail($"python3 failed; is python3-pydicom installed? {stderr.Result}");
        using var doc = JsonDocument.Parse(stdout.Result);
        _pydicomJson = doc.RootElement.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetRawText());
    }

    [TestCaseSource(typeof(InteropFiles), nameof(InteropFiles.ReadableCases))]
    public void Our_JSON_matches_pydicom(string path)
    {
        if (path == "(none)") Assert.Fail($"No DICOM test files found under {InteropFiles.PydicomFolder}; install python3-pydicom.");
        var file = DicomFile.Open(path);
        if (file.TransferSyntax.IsEncapsulated) Assert.Ignore("compressed; pixel data JSON differs by design (fragments)");
        if (!_pydicomJson.TryGetValue(path, out var theirsText)) Assert.Fail("pydicom produced nothing for this file");
        using var theirs = JsonDocument.Parse(theirsText!);
        if (theirs.RootElement.TryGetProperty("error", out var err)) Assert.Ignore($"pydicom cannot convert it: {err}");
        using var ours = JsonDocument.Parse(DicomJsonWriter.Write(file.Dataset));
        var problems = new List<string>();
        // PS3.18 F.2.7: InlineBinary is in the media type's transfer syntax, Explicit VR Little Endian by default;
        // pydicom 2.3 copies big-endian file bytes as they are, so swap its words back before comparing.
        CompareDataset(theirs.RootElement, ours.RootElement, "", problems, file.TransferSyntax.IsBigEndian);
        Assert.That(problems, Is.Empty, string.Join("\n", problems.Take(15)));
    }

    private static void CompareDataset(JsonElement theirs, JsonElement ours, string path, List<string> problems, bool bigEndian)
    {
        var a = theirs.EnumerateObject().Where(p => !p.Name.EndsWith("0000", StringComparison.Ordinal)).ToDictionary(p => p.Name, p => p.Value);
        var b = ours.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            var where = path + key;
            if (!a.TryGetValue(key, out var x)) { problems.Add($"{where}: only in ours"); continue; }
            if (!b.TryGetValue(key, out var y)) { problems.Add($"{where}: only in pydicom"); continue; }
            string vx = x.GetProperty("vr").GetString()!, vy = y.GetProperty("vr").GetString()!;
            bool isPrivate = (Convert.ToUInt16(key[..4], 16) & 1) == 1;
            if (vx != vy)
            {
                // pydicom leaves private elements it has no VR for as UN; we may know them from DCMTK's private dictionary.
                if (isPrivate && (vx == "UN" || vy == "UN")) continue;
                problems.Add($"{where}: vr pydicom {vx} / ours {vy}");
                continue;
            }
            CompareValue(x, y, vx, where, problems, bigEndian);
        }
    }

    private static void CompareValue(JsonElement x, JsonElement y, string vr, string where, List<string> problems, bool bigEndian)
    {
        if (x.TryGetProperty("InlineBinary", out var bx) || y.TryGetProperty("InlineBinary", out _))
        {
            if (!y.TryGetProperty("InlineBinary", out var by) || bx.ValueKind != JsonValueKind.String) { problems.Add($"{where}: InlineBinary on one side only"); return; }
            var p = Convert.FromBase64String(bx.GetString()!);
            var q = Convert.FromBase64String(by.GetString()!);
            int unit = vr switch { "OW" => 2, "OF" or "OL" => 4, "OD" or "OV" => 8, _ => 1 };
            if (bigEndian && unit > 1)
                for (int i = 0; i + unit <= p.Length; i += unit) p.AsSpan(i, unit).Reverse();
            // pydicom keeps the stored padding byte of odd values; compare the value proper.
            if (!p.AsSpan(0, Math.Min(p.Length, q.Length)).SequenceEqual(q.AsSpan(0, Math.Min(p.Length, q.Length))) || Math.Abs(p.Length - q.Length) > 1)
                problems.Add($"{where}: InlineBinary differs ({p.Length} / {q.Length} bytes)");
            return;
        }
        bool hx = x.TryGetProperty("Value", out var ax), hy = y.TryGetProperty("Value", out var ay);
        if (!hx || !hy)
        {
            bool emptyX = !hx || ax.GetArrayLength() == 0 || ax.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Null || (v.ValueKind == JsonValueKind.String && v.GetString() == ""));
            bool emptyY = !hy || ay.GetArrayLength() == 0 || ay.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Null);
            if (emptyX != emptyY) problems.Add($"{where}: Value on one side only");
            return;
        }
        if (ax.GetArrayLength() != ay.GetArrayLength()) { problems.Add($"{where}: {ax.GetArrayLength()} values in pydicom, {ay.GetArrayLength()} in ours"); return; }
        for (int i = 0; i < ax.GetArrayLength(); i++)
        {
            var u = ax[i];
            var v = ay[i];
            if (vr == "SQ") { CompareDataset(u, v, where + $"[{i}].", problems, bigEndian); continue; }
            if (!SameScalar(u, v, vr)) problems.Add($"{where}[{i}] {vr}: pydicom {Cut(u.GetRawText())} / ours {Cut(v.GetRawText())}");
        }
    }

    private static string Cut(string s) => s.Length > 100 ? s[..100] + "..." : s;

    private static bool SameScalar(JsonElement u, JsonElement v, string vr)
    {
        if (u.GetRawText() == v.GetRawText()) return true;
        if (u.ValueKind == JsonValueKind.Number && v.ValueKind == JsonValueKind.Number)
        {
            double a = u.GetDouble(), b = v.GetDouble();
            // FL values are 32-bit: two texts that name the same float are the same value (1E-45 and 1.4e-45 alike).
            if (vr is "FL" or "OF" && (float)a == (float)b) return true;
            return a == b || Math.Abs(a - b) <= 1e-6 * Math.Max(Math.Abs(a), Math.Abs(b));
        }
        if (u.ValueKind == JsonValueKind.Object && v.ValueKind == JsonValueKind.Object)
            return u.EnumerateObject().All(p => v.TryGetProperty(p.Name, out var q) && (p.Value.GetRawText() == q.GetRawText() || HasNonAscii(p.Value.GetRawText())));
        // Empty values: pydicom writes "" or null, we write null.
        if ((u.ValueKind == JsonValueKind.Null || (u.ValueKind == JsonValueKind.String && u.GetString() == "")) && v.ValueKind == JsonValueKind.Null) return true;
        // Character sets are another module's job; non-ASCII text is compared by the character set tests.
        return HasNonAscii(u.GetRawText()) || HasNonAscii(v.GetRawText());
    }

    private static bool HasNonAscii(string s) => s.Any(c => c > 0x7E) || s.Contains("\\u", StringComparison.Ordinal);
}
