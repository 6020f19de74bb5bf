namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// One node of an SR content tree (PS3.3 C.17.3): a value of some <see cref="ValueType"/>, named by a coded
/// concept, related to its parent by <see cref="Relationship"/>, with children related to it by value.
/// </summary>
/// <remarks>
/// The tree is built top-down with <see cref="Add(DicomContentItem[])"/>; children keep the order they were added
/// in, because templates such as TID 4019 and TID 1500 are order-significant.
/// </remarks>
public abstract class DicomContentItem
{
    private readonly List<DicomContentItem> _children = [];

    /// <summary>Creates an item related to its parent by <paramref name="relationship"/> (null only for the root).</summary>
    protected DicomContentItem(DicomRelationshipType? relationship, DicomCodedEntry? conceptName)
    {
        Relationship = relationship;
        ConceptName = conceptName;
    }

    /// <summary>The relationship to the parent item; null for the document root.</summary>
    public DicomRelationshipType? Relationship { get; }

    /// <summary>The Concept Name Code Sequence (0040,A043) entry; optional only for some items (e.g. Image Library entries).</summary>
    public DicomCodedEntry? ConceptName { get; }

    /// <summary>The value type of this item.</summary>
    public abstract DicomValueType ValueType { get; }

    /// <summary>The children, related to this item by value, in order.</summary>
    public IReadOnlyList<DicomContentItem> Children => _children;

    /// <summary>Appends children (in order) and returns this item, for nesting in expressions.</summary>
    public DicomContentItem Add(params DicomContentItem[] children)
    {
        foreach (var child in children)
        {
            ArgumentNullException.ThrowIfNull(child);
            if (child.Relationship is null) throw new ArgumentException("A child content item needs a relationship type; only the root has none.", nameof(children));
            _children.Add(child);
        }
        return this;
    }

    /// <summary>This item and all its descendants, depth first in document order.</summary>
    public IEnumerable<DicomContentItem> DescendantsAndSelf()
    {
        var stack = new Stack<DicomContentItem>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var item = stack.Pop();
            yield return item;
            for (int i = item._children.Count - 1; i >= 0; i--) stack.Push(item._children[i]);
        }
    }

    /// <summary>The first child whose concept name matches <paramref name="conceptName"/> (value and scheme), or null.</summary>
    public DicomContentItem? FindChild(DicomCodedEntry conceptName) =>
        _children.FirstOrDefault(c => c.ConceptName is { } n && n.Matches(conceptName));

    /// <summary>All children whose concept name matches <paramref name="conceptName"/>.</summary>
    public IEnumerable<DicomContentItem> FindChildren(DicomCodedEntry conceptName) =>
        _children.Where(c => c.ConceptName is { } n && n.Matches(conceptName));

    /// <summary>A one-line description like dsrdump's: relationship, value type, concept name and value.</summary>
    public override string ToString() =>
        $"{(Relationship is { } r ? r.ToTerm().ToLowerInvariant() + " " : "")}{ValueType.ToTerm()}:{ConceptName?.ToString() ?? ""}={DescribeValue()}";

    /// <summary>The value part of <see cref="ToString"/>.</summary>
    protected abstract string DescribeValue();
}
