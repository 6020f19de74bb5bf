namespace EdgeCancer.Dicom;

// Placeholder until tools/DictionaryGenerator emits DicomUidRegistry.g.cs.
public static partial class DicomUidRegistry
{
    private static partial IEnumerable<DicomUidEntry> CreateEntries() => [];
}
