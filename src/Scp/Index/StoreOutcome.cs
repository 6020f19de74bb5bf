namespace EdgeCancer.Scp.Index;

/// <summary>What <see cref="IArchiveIndex.StoreInstanceAsync"/> did.</summary>
public enum StoreOutcome
{
    /// <summary>A new instance row (and, when asked, a work item) was committed.</summary>
    Added,
    /// <summary>The SOP Instance UID was already indexed in the same series; row (and file) replaced (<see cref="DuplicatePolicy.Replace"/>).</summary>
    Replaced,
    /// <summary>The SOP Instance UID was already indexed; the first copy was kept (<see cref="DuplicatePolicy.Ignore"/>). Nothing changed.</summary>
    DuplicateIgnored,
    /// <summary>
    /// Refused: the SOP Instance UID is indexed under another study or series, or the Series Instance UID under
    /// another study. Nothing changed. The handler answers a failure (e.g. 0xA900 with an error comment).
    /// </summary>
    HierarchyConflict,
}

/// <summary>The result of storing an instance, with a sentence for the error comment on refusals.</summary>
public readonly record struct StoreResult(StoreOutcome Outcome, long? WorkItemId = null, string? Message = null)
{
    /// <summary>True when the instance is in the index after the call (added, replaced or already there).</summary>
    public bool IsStored => Outcome is StoreOutcome.Added or StoreOutcome.Replaced or StoreOutcome.DuplicateIgnored;
}

/// <summary>What happens when a SOP Instance UID arrives that is already indexed in the same series.</summary>
public enum DuplicatePolicy
{
    /// <summary>Replace file and row; one row remains (default). A re-send after a correction wins.</summary>
    Replace,
    /// <summary>Keep the first copy; answer success without touching file or row.</summary>
    Ignore,
}
