namespace EdgeCancer.Dicom;

/// <summary>A sequence of items (VR SQ), each item a nested dataset.</summary>
public sealed class DicomSequence : DicomItem
{
    /// <summary>Creates a sequence with the given items.</summary>
    public DicomSequence(DicomTag tag, params IEnumerable<DicomDataset> items) : base(tag, DicomVR.SQ)
    {
        Items = [.. items];
    }

    /// <summary>The items, in order.</summary>
    public List<DicomDataset> Items { get; }

    /// <summary>True when the sequence was read with undefined length; writers may keep that encoding.</summary>
    public bool HadUndefinedLength { get; init; }
}
