namespace EdgeCancer.Dicom.Tests.StructuredReport;

/// <summary>Removes the SR tests' scratch folder after the namespace's tests have run.</summary>
[SetUpFixture]
public class SrTempFiles
{
    [OneTimeTearDown]
    public void RemoveScratchFolder()
    {
        var dir = Path.GetDirectoryName(SrTestData.TempFile("x"))!;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
