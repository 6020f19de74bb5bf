using System.Text.Json;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Host.Commands;

namespace EdgeCancer.Interop.Tests;

/// <summary>The <c>edgecancer dump</c> command: clear failure for unreadable files, valid DICOM JSON with <c>--json</c>.</summary>
[TestFixture, Category("Interop"), NonParallelizable]
public sealed class DumpCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var oldOut = Console.Out;
        var oldErr = Console.Error;
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = await CliApp.RunAsync(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    [Test]
    public async Task Dump_of_an_unreadable_file_exits_non_zero_with_a_clear_message()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, "this is not a DICOM file at all, just text"u8.ToArray());
            var (exit, _, err) = await RunAsync("dump", path);
            Assert.That(exit, Is.Not.EqualTo(0));
            Assert.That(err, Does.Contain(path).And.Contain("not a readable DICOM file").And.Contain("offset"));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public async Task Dump_of_a_missing_file_exits_non_zero_with_a_clear_message()
    {
        var (exit, _, err) = await RunAsync("dump", "/nonexistent/file.dcm");
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(err, Does.Contain("/nonexistent/file.dcm"));
    }

    [Test]
    public async Task Dump_json_is_valid_DICOM_JSON_with_PatientName_as_Alphabetic()
    {
        var path = Path.GetTempFileName();
        try
        {
            var ds = new DicomDataset();
            ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
            ds.AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.4");
            ds.AddOrUpdate(DicomTags.PatientName, "Doe^John");
            ds.AddOrUpdate(DicomTags.Rows, (ushort)512);
            new DicomFile(ds).Save(path);

            var (exit, output, err) = await RunAsync("dump", "--json", path);
            Assert.That(exit, Is.EqualTo(0), err);
            using var json = JsonDocument.Parse(output);
            var pn = json.RootElement.GetProperty("00100010");
            Assert.That(pn.GetProperty("vr").GetString(), Is.EqualTo("PN"));
            Assert.That(pn.GetProperty("Value")[0].GetProperty("Alphabetic").GetString(), Is.EqualTo("Doe^John"));
            Assert.That(json.RootElement.GetProperty("00280010").GetProperty("Value")[0].GetInt32(), Is.EqualTo(512));
        }
        finally { File.Delete(path); }
    }

    [Test]
    public async Task Dump_json_of_several_files_is_one_array_with_an_object_per_file_in_order()
    {
        var paths = new[] { Path.GetTempFileName(), Path.GetTempFileName(), Path.GetTempFileName() };
        try
        {
            for (int i = 0; i < 2; i++)
            {
                var ds = new DicomDataset();
                ds.AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
                ds.AddOrUpdate(DicomTags.SOPInstanceUID, $"1.2.3.{i + 1}");
                new DicomFile(ds).Save(paths[i]);
            }
            await File.WriteAllBytesAsync(paths[2], "not DICOM"u8.ToArray());

            var (exit, output, err) = await RunAsync("dump", "--json", paths[0], paths[2], paths[1]);
            Assert.That(exit, Is.Not.EqualTo(0), "one file was unreadable");
            Assert.That(err, Does.Contain(paths[2]));
            using var json = JsonDocument.Parse(output);
            Assert.That(json.RootElement.ValueKind, Is.EqualTo(JsonValueKind.Array));
            var uids = json.RootElement.EnumerateArray()
                .Select(o => o.GetProperty("00080018").GetProperty("Value")[0].GetString()).ToArray();
            Assert.That(uids, Is.EqualTo(new[] { "1.2.3.1", "1.2.3.2" }));
        }
        finally
        {
            foreach (var p in paths) File.Delete(p);
        }
    }
}
