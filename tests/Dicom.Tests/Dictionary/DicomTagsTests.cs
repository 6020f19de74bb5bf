using System.Globalization;
using System.Reflection;

namespace EdgeCancer.Dicom.Tests.Dictionary;

[TestFixture, Category("Dictionary")]
public class DicomTagsTests
{
    private static FieldInfo[] TagFields() =>
        typeof(DicomTags).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(DicomTag)).ToArray();

    [Test]
    public void Every_DicomTags_constant_finds_its_own_keyword()
    {
        var fields = TagFields();
        Assert.That(fields, Has.Length.GreaterThanOrEqualTo(4900));
        var wrong = new List<string>();
        foreach (var f in fields)
        {
            var tag = (DicomTag)f.GetValue(null)!;
            string? found = DicomDictionary.Find(tag)?.Keyword;
            if (found != f.Name) wrong.Add($"{f.Name} {tag} → {found ?? "null"}");
        }
        Assert.That(wrong, Is.Empty);
    }

    [Test]
    public void Has_a_constant_for_every_keyword_in_the_dictionary()
    {
        var names = TagFields().Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var missing = DicomDictionary.Entries.Where(e => e.Keyword.Length > 0 && !names.Contains(e.Keyword)).Select(e => e.Keyword).ToList();
        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void Names_the_well_known_tags()
    {
        Assert.That(DicomTags.PatientName, Is.EqualTo(new DicomTag(0x0010, 0x0010)));
        Assert.That(DicomTags.PixelData, Is.EqualTo(new DicomTag(0x7FE0, 0x0010)));
        Assert.That(DicomTags.OverlayData, Is.EqualTo(new DicomTag(0x6000, 0x3000)));
        Assert.That(DicomTags.TransferSyntaxUID, Is.EqualTo(new DicomTag(0x0002, 0x0010)));
        Assert.That(DicomTags.SOPInstanceUID, Is.EqualTo(new DicomTag(0x0008, 0x0018)));
        Assert.That(DicomTags.Item, Is.EqualTo(DicomTag.Item));
    }

    [Test]
    public void Agrees_with_DCMTKs_dictionary_on_every_keyword()
    {
        // dicom.dic rows: (gggg,eeee) VR Keyword VM Version; retired keywords carry a RETIRED_ prefix.
        string path = PeerTools.RequireFile(PeerTools.DcmtkDictionary, "libdcmtk17");
        var disagreements = new List<string>();
        int compared = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var f = line.Split('\t');
            if (f[0].Contains('-')) continue; // ranges and DCMTK's synthetic rows
            var tag = DicomTag.Parse(f[0]);
            string keyword = f[2].StartsWith("RETIRED_", StringComparison.Ordinal) ? f[2][8..] : f[2];
            var e = DicomDictionary.Find(tag);
            compared++;
            if (e is null) { disagreements.Add($"{tag} {keyword}: not found"); continue; }
            if (e.Keyword != keyword) disagreements.Add($"{tag}: DCMTK {keyword}, ours {e.Keyword}");
            if (e.ValueMultiplicity != f[3] && e.Mask == 0xFFFFFFFFu) disagreements.Add($"{tag} {keyword}: DCMTK VM {f[3]}, ours {e.ValueMultiplicity}");
            if (f[1].Length == 2 && char.IsUpper(f[1][0]) && e.ValueRepresentation.Code != f[1])
                disagreements.Add($"{tag} {keyword}: DCMTK VR {f[1]}, ours {e.ValueRepresentation}");
        }
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compared {compared} DCMTK rows."));
        Assert.That(compared, Is.GreaterThan(4900));
        Assert.That(disagreements, Is.Empty);
    }
}
