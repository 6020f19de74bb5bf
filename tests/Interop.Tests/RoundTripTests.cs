using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests;

/// <summary>
/// Every readable real file, written back by our writer (same transfer syntax, and Explicit VR Little Endian), is read
/// by dcmdump without error and gets no dciodvfy "Error -" line that the original did not have.
/// </summary>
[TestFixture, Category("Interop")]
public sealed class RoundTripTests
{
    private string _dir = "";

    [OneTimeSetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("edgecancer-roundtrip-").FullName;

    [OneTimeTearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    [TestCaseSource(typeof(InteropFiles), nameof(InteropFiles.ReadableCases))]
    public void Written_copy_is_accepted_by_dcmdump_and_dciodvfy(string path)
    {
        if (path == "(none)") Assert.Fail($"No DICOM test files found under {InteropFiles.PydicomFolder}; install python3-pydicom.");
        var original = DicomFile.Open(path);
        var originalErrors = ErrorLines(path, original.TransferSyntax.IsDeflated);
        string name = InteropFiles.Relative(path).Replace('/', '_');

        var targets = new List<DicomTransferSyntax> { original.TransferSyntax };
        if (!original.TransferSyntax.IsEncapsulated && original.TransferSyntax != DicomTransferSyntax.ExplicitVRLittleEndian)
            targets.Add(DicomTransferSyntax.ExplicitVRLittleEndian);

        var problems = new List<string>();
        foreach (var syntax in targets)
        {
            var copy = Path.Combine(_dir, $"{name}.{syntax.Uid.Value}.dcm");
            var meta = original.FileMetaInfo.Clone();
            var file = new DicomFile(original.Dataset, meta);
            file.EnsureFileMetaInfo(syntax);
            file.Save(copy);

            var dump = PeerTools.Run("dcmdump", "-q", copy);
            if (dump.ExitCode != 0 || dump.StdErr.Contains("E: ", StringComparison.Ordinal))
                problems.Add($"{syntax.Name}: dcmdump could not read our copy: {dump.StdErr.Trim()}");

            foreach (var line in ErrorLines(copy, syntax.IsDeflated).Except(originalErrors))
                problems.Add($"{syntax.Name}: new dciodvfy error: {line}");

            // Our own reader reads our copy back to the same elements.
            var back = DicomFile.Open(copy);
            Assert.That(back.TransferSyntax, Is.EqualTo(syntax));
            Assert.That(back.Dataset.Count, Is.EqualTo(original.Dataset.Count(i => i.Tag.Element != 0 || i.Tag.Group <= 2)), $"{syntax.Name}: element count after reading our copy back");
        }
        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [TestCaseSource(typeof(InteropFiles), nameof(InteropFiles.ReadableCases))]
    public void Written_copy_reads_back_to_the_same_dataset_and_rewrites_byte_for_byte(string path)
    {
        if (path == "(none)") Assert.Fail($"No DICOM test files found under {InteropFiles.PydicomFolder}; install python3-pydicom.");
        var original = DicomFile.Open(path);
        var first = new MemoryStream();
        new DicomFile(original.Dataset, original.FileMetaInfo.Clone()).Save(first);
        var back = DicomFile.Open(new MemoryStream(first.ToArray()));
        var options = new EdgeCancer.Dicom.Serialization.DicomDumpOptions { PrintAll = true, UidNumbers = true };
        static string WithoutGroupLengths(string dump) => string.Join('\n', dump.Split('\n').Where(l => !l.TrimStart().StartsWith('(') || !l.TrimStart()[6..10].Equals("0000", StringComparison.Ordinal)));
        Assert.That(WithoutGroupLengths(EdgeCancer.Dicom.Serialization.DicomDumpFormatter.Format(back.Dataset, options)),
            Is.EqualTo(WithoutGroupLengths(EdgeCancer.Dicom.Serialization.DicomDumpFormatter.Format(original.Dataset, options))));
        var second = new MemoryStream();
        back.Save(second);
        Assert.That(second.ToArray(), Is.EqualTo(first.ToArray()), "our own output is canonical: writing it again changes nothing");
    }

    /// <summary>dciodvfy's "Error -" lines; dciodvfy cannot inflate, so a deflated file is checked as DCMTK's Explicit VR LE conversion of it.</summary>
    private HashSet<string> ErrorLines(string path, bool deflated)
    {
        if (deflated)
        {
            var inflated = Path.Combine(_dir, Path.GetFileName(path) + ".inflated-by-dcmconv.dcm");
            var conv = PeerTools.Run("dcmconv", "+te", path, inflated);
            Assert.That(conv.ExitCode, Is.EqualTo(0), $"dcmconv could not inflate {path}: {conv.StdErr}");
            path = inflated;
        }
        var r = PeerTools.Run("dciodvfy", path);
        return (r.StdOut + "\n" + r.StdErr).Split('\n')
            .Where(l => l.StartsWith("Error -", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .ToHashSet(StringComparer.Ordinal);
    }
}
