using System.Globalization;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// Parses the SR Document Content Module of a dataset back into a tree of <see cref="DicomContentItem"/>s
/// (PS3.3 C.17.3). Value types the model has no class for are kept as <see cref="DicomUnsupportedContentItem"/>.
/// </summary>
public static class DicomContentTreeReader
{
    /// <summary>Nesting deeper than this is treated as malformed rather than followed (guards against hostile input).</summary>
    public const int MaxDepth = 64;

    /// <summary>Reads the root CONTAINER of <paramref name="document"/>; throws <see cref="DicomDataException"/> naming the first problem.</summary>
    public static DicomContainerItem ReadRoot(DicomDataset document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var valueType = SrText.Get(document, DicomTags.ValueType);
        if (valueType != "CONTAINER")
            throw new DicomDataException($"The document root has Value Type '{valueType ?? "(absent)"}'; an SR document's root is a CONTAINER (PS3.3 C.17.3).");
        return (DicomContainerItem)ReadItem(document, null, "root", 0);
    }

    /// <summary>Reads the root like <see cref="ReadRoot"/> but reports a malformed tree as a message instead of throwing.</summary>
    public static bool TryReadRoot(DicomDataset document, out DicomContainerItem? root, out string? error)
    {
        try
        {
            root = ReadRoot(document);
            error = null;
            return true;
        }
        catch (DicomDataException ex)
        {
            root = null;
            error = ex.Message;
            return false;
        }
    }

    private static DicomContentItem ReadItem(DicomDataset ds, DicomRelationshipType? relationship, string path, int depth)
    {
        if (depth > MaxDepth) throw new DicomDataException($"Content item {path} is nested more than {MaxDepth} levels deep.");
        var name = ReadCode(ds, DicomTags.ConceptNameCodeSequence, path);
        var term = SrText.Get(ds, DicomTags.ValueType) ?? "";
        DicomContentItem item;
        if (!DicomValueTypes.TryParse(term, out var vt))
        {
            item = new DicomUnsupportedContentItem(relationship, name, term, ds);
        }
        else
        {
            item = vt switch
            {
                DicomValueType.Container => new DicomContainerItem(relationship, name, ReadTemplate(ds),
                    SrText.Get(ds, DicomTags.ContinuityOfContent) == "CONTINUOUS" ? DicomContinuityOfContent.Continuous : DicomContinuityOfContent.Separate),
                DicomValueType.Text => new DicomTextItem(relationship, Named(name, path, term), ds.TryGetString(DicomTags.TextValue, out var text) ? text : ""),
                DicomValueType.Code => new DicomCodeItem(relationship, Named(name, path, term), ReadCode(ds, DicomTags.ConceptCodeSequence, path)
                    ?? throw new DicomDataException($"CODE item {path} has no Concept Code Sequence (0040,A168).")),
                DicomValueType.Num => ReadNum(ds, relationship, Named(name, path, term), path),
                DicomValueType.UidRef => new DicomUidRefItem(relationship, Named(name, path, term), new DicomUid(SrText.Require(ds, DicomTags.UID, $"UIDREF item {path}"))),
                DicomValueType.PName => new DicomPersonNameItem(relationship, Named(name, path, term), new DicomPersonName(SrText.Get(ds, DicomTags.PersonName) ?? "")),
                DicomValueType.DateTime => new DicomDateTimeItem(relationship, Named(name, path, term), SrText.Require(ds, DicomTags.DateTime, $"DATETIME item {path}")),
                DicomValueType.Image => new DicomImageItem(relationship, name, ReadReference(ds, path)),
                DicomValueType.Composite => new DicomCompositeItem(relationship, Named(name, path, term), ReadReference(ds, path)),
                _ => new DicomUnsupportedContentItem(relationship, name, term, ds),
            };
        }

        if (ds.TryGetSequence(DicomTags.ContentSequence, out var children))
        {
            for (int i = 0; i < children.Items.Count; i++)
            {
                var child = children.Items[i];
                var childPath = $"{path}.{i + 1}";
                var relTerm = SrText.Get(child, DicomTags.RelationshipType)
                    ?? throw new DicomDataException($"Content item {childPath} has no Relationship Type (0040,A010).");
                if (!DicomRelationshipTypes.TryParse(relTerm, out var rel))
                    throw new DicomDataException($"Content item {childPath} has unknown Relationship Type '{relTerm}'.");
                item.Add(ReadItem(child, rel, childPath, depth + 1));
            }
        }
        return item;
    }

    private static DicomCodedEntry Named(DicomCodedEntry? name, string path, string term) =>
        name ?? throw new DicomDataException($"{term} item {path} has no Concept Name Code Sequence (0040,A043).");

    private static DicomCodedEntry? ReadCode(DicomDataset ds, DicomTag tag, string path)
    {
        try { return DicomCodedEntry.FromSequence(ds, tag); }
        catch (DicomDataException ex) { throw new DicomDataException($"Content item {path}, {SrText.Describe(tag)}: {ex.Message}", ex); }
    }

    private static DicomContentTemplate? ReadTemplate(DicomDataset ds)
    {
        if (!ds.TryGetSequence(DicomTags.ContentTemplateSequence, out var sq) || sq.Items.Count == 0) return null;
        var t = sq.Items[0];
        return new DicomContentTemplate(SrText.Get(t, DicomTags.MappingResource) ?? "", SrText.Get(t, DicomTags.TemplateIdentifier) ?? "");
    }

    private static DicomNumItem ReadNum(DicomDataset ds, DicomRelationshipType? relationship, DicomCodedEntry name, string path)
    {
        var qualifier = ReadCode(ds, DicomTags.NumericValueQualifierCodeSequence, path);
        if (!ds.TryGetSequence(DicomTags.MeasuredValueSequence, out var mvs) || mvs.Items.Count == 0)
        {
            if (qualifier is null) throw new DicomDataException($"NUM item {path} has no measured value and no Numeric Value Qualifier.");
            return DicomNumItem.NotMeasured(relationship, name, qualifier.Value);
        }
        var mv = mvs.Items[0];
        var text = SrText.Require(mv, DicomTags.NumericValue, $"NUM item {path}");
        var units = ReadCode(mv, DicomTags.MeasurementUnitsCodeSequence, path)
            ?? throw new DicomDataException($"NUM item {path} has no Measurement Units Code Sequence (0040,08EA).");
        double value = mv.TryGetSingleValue<double>(DicomTags.FloatingPointValue, out var fp) ? fp
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed
            : throw new DicomDataException($"NUM item {path} has Numeric Value '{text}', which is not a decimal number.");
        return DicomNumItem.Read(relationship, name, value, text, units, qualifier);
    }

    private static DicomSopReference ReadReference(DicomDataset ds, string path)
    {
        if (!ds.TryGetSequence(DicomTags.ReferencedSOPSequence, out var sq) || sq.Items.Count == 0)
            throw new DicomDataException($"Content item {path} has no Referenced SOP Sequence (0008,1199).");
        var r = sq.Items[0];
        var frames = r.TryGetValues<int>(DicomTags.ReferencedFrameNumber, out var f) ? f : [];
        return new DicomSopReference(
            new DicomUid(SrText.Require(r, DicomTags.ReferencedSOPClassUID, $"Content item {path}")),
            new DicomUid(SrText.Require(r, DicomTags.ReferencedSOPInstanceUID, $"Content item {path}"))) { Frames = frames };
    }
}
