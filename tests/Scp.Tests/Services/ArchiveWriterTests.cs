using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Services;
using EdgeCancer.Scp.Storage;
using EdgeCancer.Scp.Tests.Archive;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeCancer.Scp.Tests.Services;

[TestFixtureSource(typeof(Dialects), nameof(Dialects.All)), Category("Archive")]
public sealed class ArchiveWriterTests(IndexDialect dialect)
{
    private string _root = "";

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("ec-writer").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static DicomDataset Sr(string study, string series, string sop)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.34");
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sop);
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "SR");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P1");
        ds.AddOrUpdate(DicomTags.CompletionFlag, DicomVR.CS, "COMPLETE");
        return ds;
    }

    [Test]
    public async Task Stores_a_dataset_durably_and_indexes_it_without_a_work_item()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var store = new FileStore(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var (outcome, result, path) = await writer.StoreAsync(new DicomFile(Sr("1.2.3", "1.2.3.4", "1.2.3.4.5")));
        Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
        Assert.That(result!.Value.Outcome, Is.EqualTo(StoreOutcome.Added));
        Assert.That(result.Value.WorkItemId, Is.Null, "an SR is not queued for inference");
        var indexed = await t.Index.FindInstanceAsync("1.2.3.4.5", CancellationToken.None);
        Assert.That(indexed!.FilePath, Is.EqualTo(path));
        var reread = DicomFile.Open(store.GetFullPath(path!));
        Assert.That(reread.Dataset.GetString(DicomTags.CompletionFlag), Is.EqualTo("COMPLETE"));
        Assert.That(Directory.GetFiles(Path.Combine(_root, FileStore.IncomingFolder), "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Refuses_a_non_DICOM_upload_and_keeps_nothing()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var store = new FileStore(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var (outcome, _, _) = await writer.StoreAsync(new MemoryStream("this is not DICOM at all, just text"u8.ToArray()), 1 << 20);
        Assert.That(outcome.Status.IsFailure, Is.True);
        Assert.That(outcome.ErrorComment, Does.Contain("DICOM"));
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Refuses_an_oversized_upload_and_keeps_nothing()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var store = new FileStore(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());
        var (outcome, _, _) = await writer.StoreAsync(new MemoryStream(new byte[300_000]), 100_000);
        Assert.That(outcome.Status, Is.EqualTo(DicomStatus.OutOfResources));
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Is.Empty);
    }

    [Test]
    public async Task Stores_an_instance_whose_header_runs_past_the_in_memory_prefix_and_one_whose_pixel_data_follows_a_short_header()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var store = new FileStore(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0, WriteBufferSize = 4096 }), NullLogger<FileStore>.Instance);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());

        // A 100 KB private OB value before Pixel Data: the header is longer than the 64 KB kept in memory, so it is
        // read from the staged file; the attributes after the large value must still be indexed.
        var big = Sr("1.2.3", "1.2.3.4", "1.2.3.4.6");
        big.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "EDGECANCER TEST");
        var blob = new byte[100_000];
        for (int i = 0; i < blob.Length; i++) blob[i] = (byte)(i * 7);
        big.AddOrUpdateBytes(new DicomTag(0x0009, 0x1010), DicomVR.OB, blob);
        big.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "after the blob");
        var (o1, _, p1) = await writer.StoreAsync(new DicomFile(big));
        Assert.That(o1.Status, Is.EqualTo(DicomStatus.Success), o1.ErrorComment);
        var reread = DicomFile.Open(store.GetFullPath(p1!));
        Assert.That(File.ReadAllBytes(store.GetFullPath(p1!)).AsSpan().IndexOf(blob), Is.GreaterThan(132), "the blob's bytes are in the stored file");
        Assert.That(reread.Dataset.GetString(DicomTags.SeriesDescription), Is.EqualTo("after the blob"));

        // A short header followed by 200 KB of Pixel Data (written through a 4 KB buffer): parsed from the prefix.
        var image = Sr("1.2.3", "1.2.3.5", "1.2.3.5.1");
        image.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        image.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        var pixels = new byte[200_000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 251);
        image.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, pixels);
        var (o2, _, p2) = await writer.StoreAsync(new DicomFile(image));
        Assert.That(o2.Status, Is.EqualTo(DicomStatus.Success), o2.ErrorComment);
        var indexed = await t.Index.FindInstanceAsync("1.2.3.5.1", CancellationToken.None);
        Assert.That(indexed!.FilePath, Is.EqualTo(p2));
        var stored = File.ReadAllBytes(store.GetFullPath(p2!));
        Assert.That(stored.AsSpan(stored.Length - pixels.Length).SequenceEqual(pixels), Is.True, "Pixel Data is the last value, byte for byte");
    }

    [Test]
    public async Task Stores_an_instance_whose_header_holds_the_bytes_of_the_Pixel_Data_tag_before_its_Pixel_Data()
    {
        await using var t = await TestIndex.CreateAsync(dialect);
        var store = new FileStore(Options.Create(new FileStoreOptions { Root = _root, FreeSpaceWatermarkBytes = 0 }), NullLogger<FileStore>.Instance);
        var writer = new ArchiveWriter(store, t.Index, new ArchiveServiceOptions());

        // The staged file's prefix stops after the first (7FE0,0010) it sees. Here those four bytes come first inside a
        // private OB value, so the prefix ends in the middle of the header: the header must then come from the file,
        // with the attributes after the lookalike.
        var ds = Sr("1.2.3", "1.2.3.6", "1.2.3.6.1");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "OT");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "EDGECANCER TEST");
        ds.AddOrUpdateBytes(new DicomTag(0x0009, 0x1010), DicomVR.OB, new byte[] { 1, 2, 0xE0, 0x7F, 0x10, 0x00, 3, 4 });
        ds.AddOrUpdate(DicomTags.SeriesDescription, DicomVR.LO, "after the lookalike");
        var pixels = new byte[100_000];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i % 241);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OB, pixels);
        var (outcome, result, path) = await writer.StoreAsync(new DicomFile(ds));
        Assert.That(outcome.Status, Is.EqualTo(DicomStatus.Success), outcome.ErrorComment);
        Assert.That(result!.Value.Outcome, Is.EqualTo(StoreOutcome.Added));
        var indexed = await t.Index.FindInstanceAsync("1.2.3.6.1", CancellationToken.None);
        Assert.That(indexed!.FilePath, Is.EqualTo(path));
        // Study and Series Instance UID (0020,000D/E) come after the private (0009,1010): read past the lookalike.
        Assert.That((indexed.StudyInstanceUid, indexed.SeriesInstanceUid), Is.EqualTo(("1.2.3", "1.2.3.6")));
        Assert.That(DicomFile.Open(store.GetFullPath(path!)).Dataset.GetString(DicomTags.SeriesDescription), Is.EqualTo("after the lookalike"));
        var stored = File.ReadAllBytes(store.GetFullPath(path!));
        Assert.That(stored.AsSpan(stored.Length - pixels.Length).SequenceEqual(pixels), Is.True);
    }
}
