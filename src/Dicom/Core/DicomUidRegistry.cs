namespace EdgeCancer.Dicom;

/// <summary>Look-up over the generated UID registry (PS3.6 Annex A).</summary>
public static partial class DicomUidRegistry
{
    private static readonly Lazy<(Dictionary<string, DicomUidEntry> ByValue, Dictionary<string, DicomUidEntry> ByKeyword)> Index = new(Build);

    /// <summary>All registered UIDs.</summary>
    public static IReadOnlyCollection<DicomUidEntry> Entries => Index.Value.ByValue.Values;

    /// <summary>Finds a registry entry by UID value.</summary>
    public static DicomUidEntry? Find(string value) =>
        Index.Value.ByValue.TryGetValue(value.TrimEnd('\0', ' '), out var e) ? e : null;

    /// <summary>Finds a registry entry by keyword, e.g. "CTImageStorage".</summary>
    public static DicomUidEntry? FindByKeyword(string keyword) =>
        Index.Value.ByKeyword.TryGetValue(keyword, out var e) ? e : null;

    private static (Dictionary<string, DicomUidEntry>, Dictionary<string, DicomUidEntry>) Build()
    {
        var byValue = new Dictionary<string, DicomUidEntry>(StringComparer.Ordinal);
        var byKeyword = new Dictionary<string, DicomUidEntry>(StringComparer.Ordinal);
        foreach (var e in CreateEntries())
        {
            byValue.TryAdd(e.Value, e);
            if (e.Keyword.Length > 0) byKeyword.TryAdd(e.Keyword, e);
        }
        return (byValue, byKeyword);
    }

    private static partial IEnumerable<DicomUidEntry> CreateEntries();
}
