namespace EdgeCancer.Dicom;

/// <summary>An entry of a dataset: an element with a value, a sequence of items, or encapsulated fragments.</summary>
public abstract class DicomItem
{
    private protected DicomItem(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    /// <summary>The attribute tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation.</summary>
    public DicomVR VR { get; }

    public override string ToString() => $"{Tag} {VR}";
}
