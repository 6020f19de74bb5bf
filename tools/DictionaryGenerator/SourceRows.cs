namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>One data element row as read from a source, before merging. Tag and Mask follow DicomDictionaryEntry's convention.</summary>
internal sealed record ElementRow(uint Tag, uint Mask, string[] Vrs, string Vm, string Keyword, string Name, bool Retired, string Source)
{
    public bool Matches(uint tag) => (tag & Mask) == Tag;
}

/// <summary>One row of pydicom's UID dictionary.</summary>
internal sealed record UidRow(string Value, string Name, string Type, string Info, bool Retired, string Keyword);

/// <summary>One private data element: creator, group pattern (Group/GroupMask), element (two hex digits, or four for a fixed element).</summary>
internal sealed record PrivateRow(string Creator, ushort Group, ushort GroupMask, ushort Element, bool FixedElement, string[] Vrs, string Vm, string Keyword);

/// <summary>Where a generated file's data came from, for its header comment.</summary>
internal sealed record SourceNote(string Path, string Edition);
