using System.Globalization;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// Serializes a content tree to the SR Document Content Module (PS3.3 C.17.3): the root's attributes go into the
/// document dataset, every descendant becomes an item of a Content Sequence (0040,A730) with the Document Relationship
/// Macro (Table C.17-6) and Document Content Macro (Table C.17-5). Elements are kept in ascending tag order by
/// <see cref="DicomDataset"/>; text is encoded in the character set given (the document's).
/// </summary>
public static class DicomContentTreeWriter
{
    /// <summary>
    /// Writes <paramref name="root"/> into <paramref name="document"/>: Value Type CONTAINER, Concept Name Code Sequence
    /// (the document title, required for the root), Continuity Of Content, Content Template Sequence and Content Sequence.
    /// Text is encoded in the document's character set, so set Specific Character Set first.
    /// </summary>
    public static void WriteRoot(DicomContainerItem root, DicomDataset document)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (root.Relationship is not null) throw new ArgumentException("The root content item has no relationship type (PS3.3 C.17.3).", nameof(root));
        if (root.ConceptName is null) throw new ArgumentException("The root CONTAINER needs a concept name: it is the document title (PS3.3 C.17.3).", nameof(root));
        WriteInto(root, document, document.CharacterSet);
    }

    /// <summary>Writes one item and its subtree as a Content Sequence item in <paramref name="charset"/>.</summary>
    public static DicomDataset WriteItem(DicomContentItem item, DicomCharacterSet charset)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Relationship is null) throw new ArgumentException($"Content item {item} has no relationship type.", nameof(item));
        var ds = new DicomDataset();
        WriteInto(item, ds, charset);
        return ds;
    }

    private static void WriteInto(DicomContentItem item, DicomDataset ds, DicomCharacterSet charset)
    {
        if (item.Relationship is { } rel) ds.AddOrUpdate(DicomTags.RelationshipType, DicomVR.CS, rel.ToTerm());
        ds.AddOrUpdate(DicomTags.ValueType, DicomVR.CS, item.ValueType.ToTerm());
        if (item.ConceptName is { } name) ds.AddOrUpdate(name.ToSequence(DicomTags.ConceptNameCodeSequence, charset));
        else if (item is not DicomImageItem and not DicomCompositeItem)
            throw new DicomDataException($"Content item {item} has no concept name; only IMAGE/COMPOSITE entries (as in an Image Library) may omit it.");

        switch (item)
        {
            case DicomContainerItem c:
                ds.AddOrUpdate(DicomTags.ContinuityOfContent, DicomVR.CS, c.Continuity == DicomContinuityOfContent.Separate ? "SEPARATE" : "CONTINUOUS");
                if (c.Template is { } t)
                {
                    var tpl = new DicomDataset();
                    tpl.AddOrUpdate(DicomTags.MappingResource, DicomVR.CS, t.MappingResource);
                    tpl.AddOrUpdate(DicomTags.TemplateIdentifier, DicomVR.CS, t.TemplateIdentifier);
                    ds.AddOrUpdate(new DicomSequence(DicomTags.ContentTemplateSequence, tpl));
                }
                break;
            case DicomTextItem txt:
                SrText.Set(ds, DicomTags.TextValue, DicomVR.UT, txt.Text, charset);
                break;
            case DicomCodeItem c:
                ds.AddOrUpdate(c.Code.ToSequence(DicomTags.ConceptCodeSequence, charset));
                break;
            case DicomNumItem n:
                WriteNum(n, ds, charset);
                break;
            case DicomUidRefItem u:
                SrText.SetUid(ds, DicomTags.UID, u.Uid);
                break;
            case DicomPersonNameItem p:
                SrText.Set(ds, DicomTags.PersonName, DicomVR.PN, p.Name.Value, charset);
                break;
            case DicomDateTimeItem d:
                ds.AddOrUpdate(DicomTags.DateTime, DicomVR.DT, d.Value);
                break;
            case DicomImageItem i:
                ds.AddOrUpdate(ReferencedSop(i.Reference));
                break;
            case DicomCompositeItem c:
                ds.AddOrUpdate(ReferencedSop(c.Reference));
                break;
            case DicomUnsupportedContentItem u:
                // Copy the value attributes as read; children are re-written from the tree below.
                foreach (var e in u.Raw)
                    if (e.Tag != DicomTags.ContentSequence && !ds.Contains(e.Tag)) ds.AddOrUpdate(e);
                break;
            default:
                throw new DicomDataException($"Content item type {item.GetType().Name} cannot be written.");
        }

        if (item.Children.Count > 0)
        {
            foreach (var child in item.Children) CheckByValueRelationship(item, child);
            ds.AddOrUpdate(new DicomSequence(DicomTags.ContentSequence, item.Children.Select(c => WriteItem(c, charset))));
        }
    }

    private static void WriteNum(DicomNumItem n, DicomDataset ds, DicomCharacterSet charset)
    {
        // PS3.3 Table C.18.1-1: Measured Value Sequence is Type 2 (present, possibly empty), with at most one item.
        var measured = new DicomSequence(DicomTags.MeasuredValueSequence);
        if (n is { Value: { } value, NumericText: { } text, Units: { } units })
        {
            var mv = new DicomDataset();
            mv.AddOrUpdate(units.ToSequence(DicomTags.MeasurementUnitsCodeSequence, charset));
            mv.AddOrUpdate(DicomTags.NumericValue, DicomVR.DS, text);
            // Floating Point Value is Type 1C: required when the DS text does not hold the value exactly.
            if (double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) != value)
                mv.AddOrUpdate(DicomTags.FloatingPointValue, DicomVR.FD, value);
            measured.Items.Add(mv);
        }
        else if (n.Qualifier is null)
        {
            throw new DicomDataException($"NUM {n} has neither a value nor a Numeric Value Qualifier; an item without Numeric Value is invalid (SR.md §5.3).");
        }
        ds.AddOrUpdate(measured);
        if (n.Qualifier is { } q) ds.AddOrUpdate(q.ToSequence(DicomTags.NumericValueQualifierCodeSequence, charset));
    }

    private static DicomSequence ReferencedSop(DicomSopReference r)
    {
        var item = new DicomDataset();
        SrText.SetUid(item, DicomTags.ReferencedSOPClassUID, r.SopClassUid);
        SrText.SetUid(item, DicomTags.ReferencedSOPInstanceUID, r.SopInstanceUid);
        if (r.Frames.Count > 0) item.AddOrUpdate(DicomTags.ReferencedFrameNumber, DicomVR.IS, r.Frames.ToArray());
        return new DicomSequence(DicomTags.ReferencedSOPSequence, item);
    }

    // The one constraint of PS3.3 Table A.35.3-2 that templates most often break and that dciodvfy does not check:
    // HAS CONCEPT MOD may only point at TEXT or CODE (dsrdump rejects anything else, SR.md §1.1).
    private static void CheckByValueRelationship(DicomContentItem parent, DicomContentItem child)
    {
        if (child.Relationship == DicomRelationshipType.HasConceptMod && child is not DicomTextItem and not DicomCodeItem)
            throw new DicomDataException($"'{parent}' has concept mod {child.ValueType.ToTerm()} '{child}': HAS CONCEPT MOD may only target TEXT or CODE (PS3.3 Table A.35.3-2).");
    }
}
