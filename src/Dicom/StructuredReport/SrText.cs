using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>Writes and reads the string values of SR elements in a known character set.</summary>
/// <remarks>
/// Sequence items are built before they are attached to the document, so they cannot inherit its Specific Character
/// Set yet; text is therefore encoded here with the document's character set, given explicitly.
/// </remarks>
internal static class SrText
{
    /// <summary>Sets one string value after checking the VR's length limit (PS3.5 Table 6.2-1) and the repertoire.</summary>
    public static void Set(DicomDataset ds, DicomTag tag, DicomVR vr, string value, DicomCharacterSet charset)
    {
        int max = MaxLength(vr);
        if (max > 0 && value.Length > max)
            throw new DicomDataException($"{Describe(tag)}: '{value}' has {value.Length} characters; {vr} allows at most {max}.");
        if (vr.IsCharacterSetDependent && !charset.CanEncode(value))
            throw new DicomDataException($"{Describe(tag)}: '{value}' cannot be encoded in {charset}; set the document's Specific Character Set to ISO_IR 192.");
        ds.AddOrUpdateBytes(tag, vr, DicomValueCodec.EncodeStrings([value], vr, charset));
    }

    /// <summary>Sets an element with no value (Type 2).</summary>
    public static void SetEmpty(DicomDataset ds, DicomTag tag, DicomVR vr) => ds.AddOrUpdateBytes(tag, vr, ReadOnlyMemory<byte>.Empty);

    /// <summary>Sets a UID value after checking its syntax (PS3.5 §9.1).</summary>
    public static void SetUid(DicomDataset ds, DicomTag tag, DicomUid uid)
    {
        if (!DicomUid.IsValid(uid.Value)) throw new DicomDataException($"{Describe(tag)}: '{uid.Value}' is not a valid UID.");
        ds.AddOrUpdate(tag, DicomVR.UI, uid.Value);
    }

    /// <summary>The string value of <paramref name="tag"/>, or null when absent or empty.</summary>
    public static string? Get(DicomDataset ds, DicomTag tag) =>
        ds.TryGetString(tag, out var s) && s.Length > 0 ? s : null;

    /// <summary>The string value of <paramref name="tag"/>; throws naming the element when absent.</summary>
    public static string Require(DicomDataset ds, DicomTag tag, string context) =>
        Get(ds, tag) ?? throw new DicomDataException($"{context}: {Describe(tag)} is missing or empty.");

    private static int MaxLength(DicomVR vr) =>
        vr == DicomVR.SH ? 16 : vr == DicomVR.LO ? 64 : vr == DicomVR.CS ? 16 : vr == DicomVR.DS ? 16
        : vr == DicomVR.IS ? 12 : vr == DicomVR.UI ? 64 : vr == DicomVR.ST ? 1024 : vr == DicomVR.LT ? 10240 : 0;

    internal static string Describe(DicomTag tag)
    {
        var entry = DicomDictionary.Find(tag);
        return entry is null ? tag.ToString() : $"{tag} {entry.Keyword}";
    }
}
