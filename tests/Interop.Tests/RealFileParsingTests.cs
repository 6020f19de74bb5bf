using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests;

/// <summary>Every real DICOM file from pydicom's and DCMTK's packages parses; the deliberately broken ones fail clearly.</summary>
[TestFixture, Category("Interop")]
public sealed class RealFileParsingTests
{
    [TestCaseSource(typeof(InteropFiles), nameof(InteropFiles.AllCases))]
    public void Real_file_parses_or_fails_with_the_documented_reason(string path)
    {
        if (path == "(none)") Assert.Fail($"No DICOM test files found under {InteropFiles.PydicomFolder}; install python3-pydicom.");
        if (InteropFiles.DeliberatelyBroken.TryGetValue(Path.GetFileName(path), out var reason))
        {
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
            Assert.That(ex!.Message, Does.Contain(reason).IgnoreCase, "the error names the problem");
            Assert.That(ex.Message, Does.Contain("offset"), "the error names where");
            return;
        }
        var file = DicomFile.Open(path);
        Assert.That(file.Dataset.Count, Is.GreaterThan(0));
    }
}
