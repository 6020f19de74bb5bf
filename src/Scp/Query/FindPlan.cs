using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Query;

/// <summary>A key the responses carry, with the VR to encode it with.</summary>
public readonly record struct ReturnKey(DicomTag Tag, DicomVR VR);

/// <summary>How one returned key is read from the result row.</summary>
internal enum OutputSource
{
    Column,
    IntegerColumn,
    Extra,
    CodeSequence,
}

internal sealed record OutputColumn(DicomTag Tag, OutputSource Source, string? Alias, QueryLevel ExtraLevel = QueryLevel.Patient,
    IReadOnlyList<DicomTag>? ItemTags = null);

/// <summary>
/// A validated, translated C-FIND: SQL with every value as a parameter, and what to return.
/// <see cref="UnsupportedKeys"/> lists keys that were neither matched nor (unless stored as extra attributes)
/// returned; when it is not empty the handler answers pending with 0xFF01 instead of 0xFF00 (C.4.1.1.4).
/// </summary>
public sealed class FindPlan
{
    public required QueryModel Model { get; init; }
    public required QueryLevel Level { get; init; }
    public required string Sql { get; init; }
    public required IReadOnlyDictionary<string, object?> Parameters { get; init; }
    public required IReadOnlyList<ReturnKey> ReturnKeys { get; init; }
    public required IReadOnlyList<DicomTag> UnsupportedKeys { get; init; }
    internal IReadOnlyList<OutputColumn> Outputs { get; init; } = [];
}

/// <summary>The result of planning a C-FIND: a plan, or a failure with an error comment for the response.</summary>
public readonly record struct FindPlanResult(FindPlan? Plan, FindFailure Failure, string? ErrorComment, DicomTag? OffendingTag = null)
{
    public bool Success => Failure == FindFailure.None && Plan is not null;
}
