using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Interop.Tests.Archive;

/// <summary>Compares what a peer sent (or received) with what the archive stored.</summary>
internal static class StoredData
{
    public sealed record Ids(string Study, string Series, string Sop, string SopClass);

    public static Ids IdsOf(string file)
    {
        var ds = DicomFile.OpenHeader(file).Dataset;
        return new Ids(ds.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.SeriesInstanceUID),
            ds.GetString(DicomTags.SOPInstanceUID), ds.GetString(DicomTags.SOPClassUID));
    }

    /// <summary>The bytes after the File Meta Information.</summary>
    public static byte[] DatasetBytes(string file)
    {
        var header = DicomFile.OpenHeader(file);
        return File.ReadAllBytes(file)[(int)header.DatasetOffset..];
    }

    /// <summary>
    /// Byte equality of the data sets after the meta. DCMTK drops Data Set Trailing Padding (FFFC,FFFC) when it
    /// re-encodes, so the only difference allowed is a missing tail that starts with that tag.
    /// </summary>
    public static void AssertSameDatasetBytes(string actualFile, string expectedFile)
    {
        var actual = DatasetBytes(actualFile);
        var expected = DatasetBytes(expectedFile);
        var (shorter, longer) = actual.Length <= expected.Length ? (actual, expected) : (expected, actual);
        // Span comparison: NUnit's collection equality is far too slow for megabytes of pixel data.
        int firstDifference = shorter.AsSpan().CommonPrefixLength(longer);
        Assert.That(firstDifference, Is.EqualTo(shorter.Length), $"data set of {actualFile} differs from {expectedFile} at data set offset {firstDifference}");
        var rest = longer[shorter.Length..];
        if (rest.Length > 0)
            Assert.That(rest[..Math.Min(4, rest.Length)], Is.EqualTo(new byte[] { 0xFC, 0xFF, 0xFC, 0xFF }), $"{actualFile}: only Data Set Trailing Padding may be missing");
    }

    /// <summary>
    /// Re-reads both files with our reader and compares their data sets encoded in Explicit VR Little Endian, so a
    /// file stored in another transfer syntax must carry the same elements and values.
    /// </summary>
    public static void AssertSameDatasetValues(string actualFile, string expectedFile)
    {
        var a = Canonical(actualFile);
        var b = Canonical(expectedFile);
        Assert.That(a.AsSpan().SequenceEqual(b), Is.True, $"data set of {actualFile} re-read differs from {expectedFile} at offset {a.AsSpan().CommonPrefixLength(b)}");
    }

    private static byte[] Canonical(string file)
    {
        var ds = DicomFile.Open(file).Dataset;
        ds.RemoveAll(i => i.Tag == new DicomTag(0xFFFC, 0xFFFC) || i.Tag.Element == 0x0000);
        using var ms = new MemoryStream();
        DicomFile.WriteDataset(ms, ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        return ms.ToArray();
    }
}
