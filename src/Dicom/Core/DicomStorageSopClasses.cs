using System.Collections.Frozen;

namespace EdgeCancer.Dicom;

/// <summary>The Storage SOP Classes of PS3.4 Annex B and its siblings, from the PS3.6 UID registry (generated list in Generated/).</summary>
public static partial class DicomStorageSopClasses
{
    private static readonly Lazy<FrozenSet<string>> Values = new(BuildValues);

    /// <summary>True when <paramref name="sopClass"/> is a registered Storage SOP Class (retired ones included).</summary>
    public static bool Contains(DicomUid sopClass) => Values.Value.Contains(sopClass.Value.TrimEnd('\0', ' '));

    private static FrozenSet<string> BuildValues() => All.Select(u => u.Value).ToFrozenSet(StringComparer.Ordinal);
}
