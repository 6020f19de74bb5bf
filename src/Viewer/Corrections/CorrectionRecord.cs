namespace EdgeCancer.Viewer.Corrections;

/// <summary>Fields a doctor can correct, and their labels.</summary>
public static class CorrectionFields
{
    public const string BodyPart = "body-part";
    public const string Malignancy = "malignancy";

    public const string Suspicious = "suspicious";
    public const string NotSuspicious = "not-suspicious";

    /// <summary>Body-part labels the correction SR can code (SrCodes.RegionForLabel; anything else is "other").</summary>
    public static readonly IReadOnlyList<string> BodyPartLabels =
        ["chest", "head", "neck", "abdomen", "pelvis", "chest-abdomen", "chest-abdomen-pelvis", "whole-body", "other"];

    public static readonly IReadOnlyList<string> MalignancyLabels = [Suspicious, NotSuspicious];
}

/// <summary>A row of the <c>corrections</c> table.</summary>
public sealed record CorrectionRecord
{
    public long Id { get; init; }
    public string UserName { get; init; } = "";
    public long CorrectedAt { get; init; }
    public string SopInstanceUid { get; init; } = "";
    public string StudyInstanceUid { get; init; } = "";
    public string SeriesInstanceUid { get; init; } = "";
    public string ModelSet { get; init; } = "";
    public string ModelVersion { get; init; } = "";
    public string Field { get; init; } = "";
    public string? OldLabel { get; init; }
    public string NewLabel { get; init; } = "";
    public string? Comment { get; init; }
    public string CorrectedSrUid { get; init; } = "";
    public bool RetrainQueued { get; init; }
}

/// <summary>A correction request from the page.</summary>
public sealed record CorrectionRequest(string? Field, string? NewLabel, string? Comment);
