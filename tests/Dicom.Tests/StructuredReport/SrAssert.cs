using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.StructuredReport;

namespace EdgeCancer.Dicom.Tests.StructuredReport;

/// <summary>Shared checks: peer validation and the round trip through our reader.</summary>
internal static class SrAssert
{
    /// <summary>Saves, runs dciodvfy (no errors) and dsrdump +Pc (exit 0); returns the dsrdump output.</summary>
    public static string SaveAndValidate(DicomDataset ds, string name, string expectedIod = "Comprehensive3DSR")
    {
        var path = SrTestData.Save(ds, name);
        var dciodvfy = SrPeerTools.AssertDciodvfyClean(path);
        Assert.That(dciodvfy.Split('\n')[0].Trim(), Is.EqualTo(expectedIod), $"dciodvfy recognised another IOD:\n{dciodvfy}");
        return SrPeerTools.AssertDsrdump(path);
    }

    /// <summary>The tree as indented one-line descriptions (our reader's view).</summary>
    public static IReadOnlyList<string> Outline(DicomContentItem root)
    {
        var lines = new List<string>();
        void Walk(DicomContentItem item, int depth)
        {
            lines.Add(new string(' ', depth * 2) + item);
            foreach (var c in item.Children) Walk(c, depth + 1);
        }
        Walk(root, 0);
        return lines;
    }

    /// <summary>Saves, re-opens with DicomFile and reads the tree back; asserts it equals <paramref name="built"/> item by item.</summary>
    public static DicomContainerItem RoundTrip(DicomDataset ds, DicomContainerItem built, string name)
    {
        var path = SrTestData.Save(ds, name);
        var read = DicomContentTreeReader.ReadRoot(DicomFile.Open(path).Dataset);
        Assert.That(Outline(read), Is.EqualTo(Outline(built)));
        return read;
    }

    /// <summary>Reads the tree of a built dataset after a save and re-open (for templates, whose tree is internal).</summary>
    public static DicomContainerItem ReadBack(DicomDataset ds, string name) =>
        DicomContentTreeReader.ReadRoot(DicomFile.Open(SrTestData.Save(ds, name)).Dataset);
}
