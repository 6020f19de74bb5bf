using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// Copies the root-level attributes of the Patient and Study IE modules — Patient (C.7.1.1), Clinical Trial Subject
/// (C.7.1.3), General Study (C.7.2.1), Patient Study (C.7.2.2) and Clinical Trial Study (C.7.2.3) — from a source
/// image into a new document, so the document joins the same patient and study (SR.md §3.1). Any divergence would
/// split the study in a PACS, so present attributes are copied as they are, empty ones included.
/// </summary>
public static class PatientStudyAttributes
{
    /// <summary>The tags copied, in ascending order.</summary>
    public static IReadOnlyList<DicomTag> Tags { get; } = new uint[]
    {
        // General Study
        0x00080020, 0x00080030, 0x00080050, 0x00080051, 0x00080090, 0x00080096, 0x0008009C, 0x0008009D,
        0x00081030, 0x00081032, 0x00081048, 0x00081049, 0x00081060, 0x00081062, 0x00081110,
        0x0020000D, 0x00200010, 0x00321033, 0x00321034, 0x00401012,
        // Patient Study
        0x00081080, 0x00081084, 0x00101010, 0x00101020, 0x00101021, 0x00101022, 0x00101023, 0x00101024,
        0x00101030, 0x00102000, 0x00102110, 0x00102180, 0x001021A0, 0x001021B0, 0x001021C0, 0x001021D0,
        0x00102203, 0x00321066, 0x00321067, 0x00380010, 0x00380014, 0x00380060, 0x00380062, 0x00380064, 0x00380500,
        // Patient
        0x00081120, 0x00100010, 0x00100020, 0x00100021, 0x00100022, 0x00100024, 0x00100026, 0x00100027,
        0x00100030, 0x00100032, 0x00100033, 0x00100034, 0x00100035, 0x00100040, 0x00100200, 0x00100212,
        0x00100213, 0x00100216, 0x00100218, 0x00100219, 0x00100221, 0x00101001, 0x00101002, 0x00101100,
        0x00102160, 0x00102201, 0x00102202, 0x00102292, 0x00102293, 0x00102294, 0x00102297, 0x00102298,
        0x00102299, 0x00104000, 0x00120062, 0x00120063, 0x00120064,
        // Clinical Trial Subject and Clinical Trial Study
        0x00120010, 0x00120020, 0x00120021, 0x00120030, 0x00120031, 0x00120040, 0x00120042,
        0x00120050, 0x00120051, 0x00120052, 0x00120053, 0x00120081, 0x00120082, 0x00120083,
    }.Select(v => new DicomTag(v)).Order().ToArray();

    /// <summary>
    /// Copies the attributes present in <paramref name="source"/> into <paramref name="target"/>. When the two
    /// datasets use different character sets, text values (nested ones included) are decoded and re-encoded.
    /// </summary>
    public static void Copy(DicomDataset source, DicomDataset target)
    {
        var from = source.CharacterSet;
        var to = target.CharacterSet;
        bool same = from.DefinedTerms.SequenceEqual(to.DefinedTerms);
        foreach (var tag in Tags)
        {
            if (source.GetItem(tag) is not { } item) continue;
            target.AddOrUpdate(same ? CloneItem(item) : Transcode(item, from, to));
        }
    }

    private static DicomItem CloneItem(DicomItem item) =>
        item is DicomSequence sq ? new DicomSequence(sq.Tag, sq.Items.Select(i => i.Clone())) : item;

    private static DicomItem Transcode(DicomItem item, DicomCharacterSet from, DicomCharacterSet to)
    {
        switch (item)
        {
            case DicomSequence sq:
                return new DicomSequence(sq.Tag, sq.Items.Select(i =>
                {
                    var copy = new DicomDataset();
                    foreach (var child in i) copy.AddOrUpdate(Transcode(child, from, to));
                    return copy;
                }));
            case DicomElement e when e.VR.IsCharacterSetDependent:
                // Decoded as a whole (delimiters included) and re-encoded as a whole, so multi-valued text survives.
                var text = from.Decode(e.Buffer.Memory.Span, e.VR).TrimEnd(' ');
                var tmp = new DicomDataset();
                tmp.AddOrUpdateBytes(e.Tag, e.VR, DicomValueCodec.EncodeStrings([text], e.VR, to));
                return tmp.GetItem(e.Tag)!;
            default:
                return item;
        }
    }
}
