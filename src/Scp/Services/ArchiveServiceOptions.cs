using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Services;

/// <summary>Options of the archive's DIMSE services.</summary>
public sealed class ArchiveServiceOptions
{
    /// <summary>Decides whether a stored instance gets a work item (inference). Default: CT images.</summary>
    public Func<DicomDataset, bool> EnqueueWork { get; set; } = ds =>
        ds.TryGetString(DicomTags.Modality, out var m) && m == "CT";

    /// <summary>Our AE title, used as calling AE for C-MOVE sub-operations.</summary>
    public string AETitle { get; set; } = "EDGECANCER";

    /// <summary>Most matches one C-FIND returns; past it the query ends with 0xA700 "narrow the query" (caps runaway universal queries).</summary>
    public int MaxFindResults { get; set; } = 100_000;
}
