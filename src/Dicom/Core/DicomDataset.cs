using System.Collections;
using EdgeCancer.Dicom.IO.Buffers;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom;

/// <summary>
/// An ordered set of DICOM items (elements, sequences, encapsulated pixel data), kept in ascending tag order.
/// Nested datasets (sequence items) inherit the Specific Character Set of the dataset that contains them.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items = [];
    private DicomCharacterSet? _characterSet;

    /// <summary>Creates an empty dataset.</summary>
    public DicomDataset() { }

    /// <summary>Creates a dataset with the given items.</summary>
    public DicomDataset(IEnumerable<DicomItem> items)
    {
        foreach (var item in items) AddOrUpdate(item);
    }

    /// <summary>The dataset that holds the sequence this dataset is an item of, if any.</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>Called with a text whenever decoding meets something doubtful (an unknown character set term).</summary>
    public Action<string>? Warning { get; set; }

    /// <summary>Number of top-level items.</summary>
    public int Count => _items.Count;

    /// <summary>The character set in force for this dataset: its own (0008,0005), or its parent's, or the default repertoire.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet is not null) return _characterSet;
            if (TryGetItem(DicomTags.SpecificCharacterSet, out var item) && item is DicomElement e)
            {
                var values = DicomValueCodec.DecodeStrings(e.Buffer.Memory.Span, DicomVR.CS, DicomCharacterSet.Default);
                return _characterSet = DicomCharacterSet.Create(values, Warning ?? Parent?.Warning);
            }
            return Parent?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>True when an item with <paramref name="tag"/> is present.</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>The item with <paramref name="tag"/>, or null.</summary>
    public DicomItem? GetItem(DicomTag tag)
    {
        int i = IndexOf(tag);
        return i >= 0 ? _items[i] : null;
    }

    /// <summary>Finds the item with <paramref name="tag"/>.</summary>
    public bool TryGetItem(DicomTag tag, out DicomItem item)
    {
        int i = IndexOf(tag);
        item = i >= 0 ? _items[i] : null!;
        return i >= 0;
    }

    /// <summary>Adds an item; throws if one with the same tag exists.</summary>
    public DicomDataset Add(DicomItem item)
    {
        int i = IndexOf(item.Tag);
        if (i >= 0) throw new ArgumentException($"The dataset already contains {item.Tag}.", nameof(item));
        _items.Insert(~i, Adopt(item));
        return this;
    }

    /// <summary>Adds an item or replaces the one with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        int i = IndexOf(item.Tag);
        if (i >= 0) _items[i] = Adopt(item);
        else _items.Insert(~i, Adopt(item));
        return this;
    }

    /// <summary>Appends an item known to come after every item already present (reader fast path); falls back to ordered insert.</summary>
    internal void AddSorted(DicomItem item)
    {
        if (_items.Count == 0 || _items[^1].Tag < item.Tag) _items.Add(Adopt(item));
        else AddOrUpdate(item);
    }

    /// <summary>Removes the item with <paramref name="tag"/>; true if it was present.</summary>
    public bool Remove(DicomTag tag)
    {
        int i = IndexOf(tag);
        if (i < 0) return false;
        _items.RemoveAt(i);
        if (tag == DicomTags.SpecificCharacterSet) _characterSet = null;
        return true;
    }

    /// <summary>Removes every item matching <paramref name="predicate"/>.</summary>
    public int RemoveAll(Predicate<DicomItem> predicate)
    {
        _characterSet = null;
        return _items.RemoveAll(predicate);
    }

    /// <summary>Removes all items.</summary>
    public void Clear()
    {
        _items.Clear();
        _characterSet = null;
    }

    private DicomItem Adopt(DicomItem item)
    {
        if (item.Tag == DicomTags.SpecificCharacterSet) _characterSet = null;
        if (item is DicomSequence sq)
            foreach (var child in sq.Items) child.Parent = this;
        return item;
    }

    private int IndexOf(DicomTag tag)
    {
        // Fast path for appends in order and small datasets.
        int lo = 0, hi = _items.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint v = _items[mid].Tag.Value;
            if (v == tag.Value) return mid;
            if (v < tag.Value) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    // ---- typed access (fo-dicom-like names) ----

    /// <summary>The element with <paramref name="tag"/>; throws when absent or not a value element.</summary>
    public DicomElement GetElement(DicomTag tag) =>
        GetItem(tag) as DicomElement ?? throw new DicomDataException($"{Describe(tag)} is not present in the dataset.");

    /// <summary>The whole value of a string element decoded with the dataset's character set (values joined with '\'); throws when absent.</summary>
    public string GetString(DicomTag tag)
    {
        var e = GetElement(tag);
        if (!e.VR.IsString) return string.Join('\\', GetValues<string>(tag));
        return DicomValueCodec.DecodeText(e.Buffer.Memory.Span, e.VR, CharacterSet);
    }

    /// <summary>Tries to get the whole value of a string element.</summary>
    public bool TryGetString(DicomTag tag, out string value)
    {
        if (GetItem(tag) is DicomElement)
        {
            value = GetString(tag);
            return true;
        }
        value = string.Empty;
        return false;
    }

    /// <summary>All values of the element as <typeparamref name="T"/>; throws when absent.</summary>
    public T[] GetValues<T>(DicomTag tag) => DicomValueCodec.Decode<T>(GetElement(tag), CharacterSet);

    /// <summary>Tries to get all values as <typeparamref name="T"/>; false when absent or not convertible.</summary>
    public bool TryGetValues<T>(DicomTag tag, out T[] values)
    {
        values = [];
        if (GetItem(tag) is not DicomElement e) return false;
        try { values = DicomValueCodec.Decode<T>(e, CharacterSet); return true; }
        catch (DicomDataException) { return false; }
    }

    /// <summary>Value number <paramref name="index"/> (0-based) as <typeparamref name="T"/>.</summary>
    public T GetValue<T>(DicomTag tag, int index)
    {
        var values = GetValues<T>(tag);
        if (index < 0 || index >= values.Length) throw new DicomDataException($"{Describe(tag)} has {values.Length} value(s); index {index} requested.");
        return values[index];
    }

    /// <summary>The single value as <typeparamref name="T"/>; throws unless the element has exactly one value.</summary>
    public T GetSingleValue<T>(DicomTag tag)
    {
        var values = GetValues<T>(tag);
        if (values.Length != 1) throw new DicomDataException($"{Describe(tag)} has {values.Length} values; one was expected.");
        return values[0];
    }

    /// <summary>The first value as <typeparamref name="T"/>, or <paramref name="defaultValue"/> when absent, empty or not convertible.</summary>
    public T GetSingleValueOrDefault<T>(DicomTag tag, T defaultValue) =>
        TryGetValues<T>(tag, out var values) && values.Length > 0 ? values[0] : defaultValue;

    /// <summary>Tries to get the first value.</summary>
    public bool TryGetSingleValue<T>(DicomTag tag, out T value)
    {
        if (TryGetValues<T>(tag, out var values) && values.Length > 0) { value = values[0]; return true; }
        value = default!;
        return false;
    }

    /// <summary>The sequence with <paramref name="tag"/>; throws when absent.</summary>
    public DicomSequence GetSequence(DicomTag tag) =>
        GetItem(tag) as DicomSequence ?? throw new DicomDataException($"{Describe(tag)} is not a sequence in the dataset.");

    /// <summary>Tries to get the sequence with <paramref name="tag"/>.</summary>
    public bool TryGetSequence(DicomTag tag, out DicomSequence sequence)
    {
        sequence = (GetItem(tag) as DicomSequence)!;
        return sequence is not null;
    }

    /// <summary>Combines a DA and a TM element into a date and time (time 00:00 when absent).</summary>
    public DateTime GetDateTime(DicomTag dateTag, DicomTag timeTag)
    {
        var date = GetSingleValue<DateOnly>(dateTag);
        var time = GetSingleValueOrDefault(timeTag, TimeOnly.MinValue);
        return date.ToDateTime(time);
    }

    /// <summary>Sets string values for <paramref name="tag"/> with the dictionary's VR.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    /// <summary>Sets typed values for <paramref name="tag"/> with the dictionary's VR.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values) => AddOrUpdate(tag, DicomDictionary.GetVR(tag), values);

    /// <summary>Sets typed values with an explicit VR.</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values)
    {
        if (vr == DicomVR.SQ) throw new ArgumentException($"{Describe(tag)} is a sequence; add a DicomSequence.", nameof(vr));
        if (tag == DicomTags.SpecificCharacterSet) _characterSet = null;
        var charset = tag == DicomTags.SpecificCharacterSet ? DicomCharacterSet.Default : CharacterSet;
        var bytes = DicomValueCodec.Encode(vr, values, charset);
        return AddOrUpdate(new DicomElement(tag, vr, new MemoryByteBuffer(bytes)));
    }

    /// <summary>Sets raw bytes for <paramref name="tag"/> (little-endian numbers, encoded strings); pads odd lengths.</summary>
    public DicomDataset AddOrUpdateBytes(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
    {
        if ((bytes.Length & 1) == 1)
        {
            var padded = new byte[bytes.Length + 1];
            bytes.Span.CopyTo(padded);
            padded[^1] = vr.PaddingByte;
            bytes = padded;
        }
        return AddOrUpdate(new DicomElement(tag, vr, new MemoryByteBuffer(bytes)));
    }

    /// <summary>
    /// The private creator (the LO value of (gggg,00xx)) that reserved the block of private data element
    /// <paramref name="tag"/> (gggg,xxee) in this dataset (PS3.5 §7.8.1); null when none is present.
    /// </summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.Element < 0x1000) return null;
        if (GetItem(tag.PrivateCreatorTag) is not DicomElement creator) return null;
        return DicomValueCodec.DecodeText(creator.Buffer.Memory.Span, DicomVR.LO, CharacterSet);
    }

    /// <summary>
    /// The tag of private element <paramref name="element"/> (the low byte ee) in the block of <paramref name="group"/>
    /// reserved by <paramref name="creator"/>: an existing block with that creator is reused, otherwise the first free
    /// block (gggg,0010-00FF) is reserved by adding the creator element (PS3.5 §7.8.1).
    /// </summary>
    public DicomTag GetPrivateTag(string creator, ushort group, byte element)
    {
        if ((group & 1) == 0 || group <= 0x0007 || group == 0xFFFF) throw new ArgumentException($"Group {group:X4} is not a private group.", nameof(group));
        ushort free = 0;
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            if (GetItem(creatorTag) is DicomElement e)
            {
                if (DicomValueCodec.DecodeText(e.Buffer.Memory.Span, DicomVR.LO, CharacterSet) == creator.Trim(' ')) return new DicomTag(group, (ushort)((block << 8) | element));
            }
            else if (free == 0 && GetItem(creatorTag) is null)
            {
                free = block;
            }
        }
        if (free == 0) throw new DicomDataException($"All 240 private blocks of group {group:X4} are reserved.");
        AddOrUpdate(new DicomTag(group, free), DicomVR.LO, creator);
        return new DicomTag(group, (ushort)((free << 8) | element));
    }

    /// <summary>A deep copy: items and nested datasets are new; value buffers (immutable) are shared.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { Warning = Warning };
        foreach (var item in _items) copy._items.Add(CloneItem(item, copy));
        return copy;
    }

    private static DicomItem CloneItem(DicomItem item, DicomDataset newParent) => item switch
    {
        DicomSequence sq => new DicomSequence(sq.Tag, sq.Items.Select(i => { var c = i.Clone(); c.Parent = newParent; return c; })) { HadUndefinedLength = sq.HadUndefinedLength },
        DicomFragmentSequence f => new DicomFragmentSequence(f.Tag, f.VR, f.OffsetTable, f.Fragments),
        _ => item,
    };

    private static string Describe(DicomTag tag)
    {
        var entry = DicomDictionary.Find(tag);
        return entry is null ? tag.ToString() : $"{tag} {entry.Keyword}";
    }

    /// <inheritdoc />
    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
