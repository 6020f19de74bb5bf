using System.Diagnostics;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Preprocessing;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Tests.Inference;

[Category("Inference")]
public sealed class NotAnalysedTests
{
    private const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";
    private readonly CtImageDecoder _decoder = new();
    private string _dir = "";

    [SetUp]
    public void Folder() => _dir = Directory.CreateTempSubdirectory("edgecancer-na-").FullName;

    [TearDown]
    public void Delete() => Directory.Delete(_dir, recursive: true);

    private string Reason(DicomFile file)
    {
        var result = _decoder.Decode(file, PreprocessingSpec.ResNet18Ct);
        Assert.That(result.IsAnalysable, Is.False, "must not be analysed");
        return result.NotAnalysedReason!;
    }

    [Test]
    public void A_CT_image_without_pixel_data_is_not_analysed()
    {
        var file = SyntheticImages.Slice(SyntheticImages.Phantom(BodyRegionChoice.Chest), 10);
        file.Dataset.Remove(DicomTags.PixelData);
        Assert.That(Reason(file), Is.EqualTo("no pixel data: Pixel Data (7FE0,0010) is absent"));
    }

    [Test]
    public void A_1x1_image_is_not_analysed()
    {
        var file = SyntheticImages.Slice(SyntheticImages.Phantom(BodyRegionChoice.Chest), 10);
        file.Dataset.AddOrUpdate(DicomTags.Rows, (ushort)1);
        file.Dataset.AddOrUpdate(DicomTags.Columns, (ushort)1);
        file.Dataset.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, new byte[] { 0x10, 0x00 });
        Assert.That(Reason(file), Is.EqualTo("image is 1×1 pixels; at least 32×32 is needed"));
    }

    [Test]
    public void A_JPEG_2000_CT_made_by_gdcmconv_is_not_analysed_for_want_of_a_decoder()
    {
        var source = SyntheticImages.SaveAndOpen(SyntheticImages.Slice(SyntheticImages.Phantom(BodyRegionChoice.Chest), 10), Path.Combine(_dir, "ct.dcm"));
        string j2k = Path.Combine(_dir, "ct-j2k.dcm");
        Run("gdcmconv", "--j2k", source.Path!, j2k);
        var file = DicomFile.Open(j2k);
        Assert.That(file.TransferSyntax.Uid.Value, Is.EqualTo("1.2.840.10008.1.2.4.90").Or.EqualTo("1.2.840.10008.1.2.4.91"));
        Assert.That(Reason(file), Does.StartWith("no decoder for JPEG 2000"));
    }

    [Test]
    public void Pydicoms_JPEG_2000_CT_is_not_analysed_for_want_of_a_decoder()
    {
        var file = DicomFile.Open(RequireFile("693_J2KI.dcm"));
        Assert.That(Reason(file), Is.EqualTo("no decoder for JPEG 2000 Image Compression (1.2.840.10008.1.2.4.91)"));
    }

    [Test]
    public void A_structured_report_is_not_analysed()
    {
        var file = DicomFile.Open(RequireFile("test-SR.dcm"));
        Assert.That(Reason(file), Does.StartWith("a Structured Report (Modality SR, SOP Class 1.2.840.10008.5.1.4.1.1.88.").And.EndWith("is not an image this model analyses (it analyses CT)"));
    }

    [TestCase("rtplan.dcm", "RTPLAN")]
    [TestCase("rtstruct.dcm", "RTSTRUCT")]
    [TestCase("rtdose.dcm", "RTDOSE")]
    public void RT_objects_are_not_analysed(string name, string modality)
    {
        var file = DicomFile.Open(RequireFile(name));
        Assert.That(Reason(file), Does.StartWith($"an RT object (Modality {modality}"));
    }

    [Test]
    public void The_classifier_reports_not_analysed_with_the_reason_and_no_predictions()
    {
        using var provider = new EdgeCancer.Inference.Models.ActiveModelProvider(new EdgeCancer.Inference.Models.ModelRegistry(TestModels.Root));
        var classifier = new EdgeCancer.Inference.Onnx.Classifier(provider);
        var result = classifier.Predict(DicomFile.Open(RequireFile("test-SR.dcm")));
        Assert.That(result.Analysed, Is.False);
        Assert.That(result.Predictions, Is.Empty);
        Assert.That(result.NotAnalysedReason, Does.Contain("Structured Report"));
    }

    private static string RequireFile(string name)
    {
        string path = Path.Combine(PydicomFiles, name);
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: install Debian's python3-pydicom (apt-get install -y python3-pydicom).");
        return path;
    }

    private static void Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"{tool} is not installed: apt-get install -y libgdcm-tools");
            throw;
        }
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"{tool} failed: {err}");
    }
}
