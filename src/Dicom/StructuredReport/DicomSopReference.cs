namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A reference to one composite SOP instance as held by an IMAGE or COMPOSITE content item: an item of Referenced
/// SOP Sequence (0008,1199) with class, instance and, for multi-frame images only, frame numbers (PS3.3 Table C.18.3-1).
/// </summary>
public sealed record DicomSopReference(DicomUid SopClassUid, DicomUid SopInstanceUid)
{
    /// <summary>Referenced Frame Number (0008,1160) values; leave empty for single-frame images, where dciodvfy forbids it.</summary>
    public IReadOnlyList<int> Frames { get; init; } = [];
}

/// <summary>
/// A reference through study, series and instance, as the Hierarchical SOP Instance Reference Macro
/// (PS3.3 Table C.17-3) writes it in the evidence and predecessor sequences.
/// </summary>
public sealed record DicomHierarchicalSopReference(DicomUid StudyInstanceUid, DicomUid SeriesInstanceUid, DicomUid SopClassUid, DicomUid SopInstanceUid)
{
    /// <summary>The instance part, as an IMAGE or COMPOSITE item would reference it.</summary>
    public DicomSopReference Instance => new(SopClassUid, SopInstanceUid);

    /// <summary>The reference to the instance <paramref name="dataset"/> (its Study, Series, SOP Class and SOP Instance UIDs).</summary>
    public static DicomHierarchicalSopReference FromDataset(DicomDataset dataset) => new(
        new DicomUid(SrText.Require(dataset, DicomTags.StudyInstanceUID, "Referenced dataset")),
        new DicomUid(SrText.Require(dataset, DicomTags.SeriesInstanceUID, "Referenced dataset")),
        new DicomUid(SrText.Require(dataset, DicomTags.SOPClassUID, "Referenced dataset")),
        new DicomUid(SrText.Require(dataset, DicomTags.SOPInstanceUID, "Referenced dataset")));
}
