using System.Buffers.Binary;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Tests.Synthesis;

[Category("Synthesis")]
public sealed class CtSeriesWriterTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder() => _root = Directory.CreateTempSubdirectory("edgecancer-synth-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private string WriteSeries(CtPhantomOptions options, string name, int patient = 0)
    {
        string dir = Path.Combine(_root, name);
        CtSeriesWriter.Write(new CtPhantom(options, patient), dir);
        return dir;
    }

    private static readonly CtPhantomOptions Small = new() { Seed = 42, Slices = 6, Lesions = LesionMode.Always };

    [Test]
    public void Same_seed_gives_byte_identical_files_and_labels()
    {
        string a = WriteSeries(Small, "a"), b = WriteSeries(Small, "b"), c = WriteSeries(Small with { Seed = 43 }, "c");
        var names = Directory.GetFiles(a).Select(Path.GetFileName).Order().ToList();
        Assert.That(names, Has.Count.EqualTo(7)); // six slices and labels.json
        foreach (var name in names)
            Assert.That(File.ReadAllBytes(Path.Combine(b, name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(a, name!))), name);
        Assert.That(File.ReadAllBytes(Path.Combine(c, "0001.dcm")), Is.Not.EqualTo(File.ReadAllBytes(Path.Combine(a, "0001.dcm"))), "another seed changes the data");
    }

    [Test]
    public void Slices_share_orientation_spacing_and_frame_and_step_down_by_the_slice_spacing()
    {
        var options = Small with { Slices = 9, SliceThickness = 2.5 };
        string dir = WriteSeries(options, "geo");
        var files = Enumerable.Range(0, 9).Select(i => DicomFile.Open(Path.Combine(dir, CtSeriesWriter.FileName(i))).Dataset).ToList();
        var first = files[0];
        double z0 = first.GetValue<double>(DicomTags.ImagePositionPatient, 2);
        Assert.Multiple(() =>
        {
            for (int i = 0; i < files.Count; i++)
            {
                var ds = files[i];
                var ipp = ds.GetValues<double>(DicomTags.ImagePositionPatient);
                Assert.That(ds.GetSingleValue<int>(DicomTags.InstanceNumber), Is.EqualTo(i + 1));
                Assert.That(ipp[0], Is.EqualTo(first.GetValue<double>(DicomTags.ImagePositionPatient, 0)));
                Assert.That(ipp[1], Is.EqualTo(first.GetValue<double>(DicomTags.ImagePositionPatient, 1)));
                Assert.That(ipp[2], Is.EqualTo(z0 - 2.5 * i).Within(1e-9), $"z of slice {i + 1}");
                Assert.That(ds.GetSingleValue<double>(DicomTags.SliceLocation), Is.EqualTo(ipp[2]).Within(1e-9));
                Assert.That(ds.GetValues<double>(DicomTags.ImageOrientationPatient), Is.EqualTo(new[] { 1.0, 0, 0, 0, 1, 0 }));
                Assert.That(ds.GetValues<double>(DicomTags.PixelSpacing), Is.EqualTo(new[] { 0.7, 0.7 }));
                Assert.That(ds.GetSingleValue<double>(DicomTags.SliceThickness), Is.EqualTo(2.5));
                foreach (var tag in new[] { DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.FrameOfReferenceUID, DicomTags.PatientID })
                    Assert.That(ds.GetString(tag), Is.EqualTo(first.GetString(tag)), tag.ToString());
            }
            // The pixel centre of column 0 is half a pixel inside a 358.4 mm field of view centred on the isocentre.
            Assert.That(first.GetValue<double>(DicomTags.ImagePositionPatient, 0), Is.EqualTo(-179.2 + 0.35).Within(1e-9));
        });
    }

    [Test]
    public void Uids_are_valid_and_unique_within_and_across_patients()
    {
        var options = Small with { Patients = 3, Slices = 4, Body = BodyRegionChoice.Mixed };
        var uids = new List<string>();
        for (int p = 0; p < options.Patients; p++)
        {
            string dir = WriteSeries(options, "p" + p, p);
            var ds0 = DicomFile.Open(Path.Combine(dir, "0001.dcm")).Dataset;
            uids.Add(ds0.GetString(DicomTags.StudyInstanceUID));
            uids.Add(ds0.GetString(DicomTags.SeriesInstanceUID));
            uids.Add(ds0.GetString(DicomTags.FrameOfReferenceUID));
            for (int i = 0; i < options.Slices; i++)
            {
                var file = DicomFile.Open(Path.Combine(dir, CtSeriesWriter.FileName(i)));
                string sop = file.Dataset.GetString(DicomTags.SOPInstanceUID);
                Assert.That(file.FileMetaInfo.GetString(DicomTags.MediaStorageSOPInstanceUID), Is.EqualTo(sop));
                Assert.That(file.Dataset.GetString(DicomTags.SOPClassUID), Is.EqualTo("1.2.840.10008.5.1.4.1.1.2"));
                uids.Add(sop);
            }
        }
        Assert.Multiple(() =>
        {
            foreach (var uid in uids)
            {
                Assert.That(DicomUid.IsValid(uid), Is.True, uid);
                Assert.That(uid, Does.StartWith("2.25."));
            }
            Assert.That(uids, Is.Unique);
            Assert.That(uids, Has.Count.EqualTo(3 * (3 + 4)));
        });
    }

    [Test]
    public void Dciodvfy_reports_no_errors_for_a_chest_head_and_abdomen_slice()
    {
        foreach (var body in new[] { BodyRegionChoice.Chest, BodyRegionChoice.Head, BodyRegionChoice.Abdomen })
        {
            string dir = WriteSeries(Small with { Body = body, Slices = 3 }, body.ToString());
            var (_, output) = PeerTool.Run("dciodvfy", "dicom3tools", Path.Combine(dir, "0002.dcm"));
            Assert.That(output, Does.StartWith("CTImage"), "dciodvfy must recognise the CT Image IOD");
            var errors = output.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
            Assert.That(errors, Is.Empty, $"{body}: {output}");
        }
    }

    [Test]
    public void Dcmdump_parses_a_slice_and_shows_the_phantom_patient_name_and_pixel_module()
    {
        string dir = WriteSeries(Small, "dump");
        var (exit, output) = PeerTool.Run("dcmdump", "dcmtk", "-q", Path.Combine(dir, "0001.dcm"));
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.Zero, output);
            Assert.That(output, Does.Contain("(0010,0010) PN [PHANTOM^CHEST^0001]"));
            Assert.That(output, Does.Contain("(0028,0103) US 1 "));
            Assert.That(output, Does.Contain("(0028,1054) LO [HU]"));
            Assert.That(output, Does.Contain("(0028,1050) DS [-600\\50]"));
            Assert.That(output, Does.Contain("(7fe0,0010) OW ").And.Contain("# 524288, 1 PixelData"));
        });
    }

    [Test]
    public void Stored_values_are_HU_minus_the_rescale_intercept()
    {
        foreach (double intercept in new[] { 0.0, -1024.0 })
        {
            var options = Small with { Noise = 0, Slices = 2, RescaleIntercept = intercept };
            var phantom = new CtPhantom(options, 0);
            string dir = WriteSeries(options, "ri" + intercept);
            var ds = DicomFile.Open(Path.Combine(dir, "0001.dcm")).Dataset;
            var pixels = ds.GetElement(DicomTags.PixelData).Buffer.Memory.Span;
            var g = phantom.Geometry;
            Assert.That(ds.GetSingleValue<double>(DicomTags.RescaleIntercept), Is.EqualTo(intercept));
            foreach (var (x, y) in new[] { (-170.0, -170.0), (0.0, g.Y(300)), (-40.0, 0.0) })
            {
                int offset = (g.Row(y) * g.Columns + g.Column(x)) * 2;
                short stored = BinaryPrimitives.ReadInt16LittleEndian(pixels[offset..]);
                float hu = phantom.HuAt(g.X(g.Column(x)), g.Y(g.Row(y)), g.Z(0));
                Assert.That(stored * 1.0 + intercept, Is.EqualTo(Math.Round(hu)), $"({x}, {y}) intercept {intercept}");
            }
        }
    }

    [Test]
    public void Labels_json_lists_every_slice_and_reads_back()
    {
        string dir = WriteSeries(Small with { Slices = 40 }, "labels");
        var labels = SeriesLabels.Load(Path.Combine(dir, SeriesLabels.FileName));
        var ds = DicomFile.Open(Path.Combine(dir, "0010.dcm")).Dataset;
        Assert.Multiple(() =>
        {
            Assert.That(labels.Schema, Is.EqualTo(SeriesLabels.SchemaName));
            Assert.That(labels.BodyRegion, Is.EqualTo(BodyRegion.Chest));
            Assert.That(labels.Malignant, Is.True);
            Assert.That(labels.Lesions, Is.Not.Empty);
            Assert.That(labels.Slices, Has.Count.EqualTo(40));
            Assert.That(labels.Slices[9].SopInstanceUid, Is.EqualTo(ds.GetString(DicomTags.SOPInstanceUID)));
            Assert.That(labels.Slices[9].ZMm, Is.EqualTo(ds.GetSingleValue<double>(DicomTags.SliceLocation)).Within(1e-9));
            Assert.That(labels.Slices.Any(s => s.LesionPresent), Is.True);
            Assert.That(labels.SeriesInstanceUid, Is.EqualTo(ds.GetString(DicomTags.SeriesInstanceUID)));
        });
        string json = File.ReadAllText(Path.Combine(dir, SeriesLabels.FileName));
        Assert.That(json, Does.Contain("\"bodyRegion\": \"chest\"").And.Contain("\"malignantLooking\": true"));
    }
}
