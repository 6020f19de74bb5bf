namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// The General Equipment Module (PS3.3 C.7.5.1) of the equipment that writes the document: Manufacturer (Type 2) and
/// the Type 3 attributes SR.md §3.5 asks for. <see cref="DeviceUid"/> also becomes Instance Creator UID.
/// </summary>
public sealed record DicomSrEquipment(string Manufacturer)
{
    /// <summary>Institution Name (0008,0080).</summary>
    public string? InstitutionName { get; init; }

    /// <summary>Station Name (0008,1010), at most 16 characters.</summary>
    public string? StationName { get; init; }

    /// <summary>Manufacturer's Model Name (0008,1090).</summary>
    public string? ModelName { get; init; }

    /// <summary>Device Serial Number (0018,1000).</summary>
    public string? SerialNumber { get; init; }

    /// <summary>Software Versions (0018,1020).</summary>
    public string? SoftwareVersions { get; init; }

    /// <summary>Device UID (0018,1002); the TID 1004 Device Observer UID should equal it (PS3.3 C.7.5.1).</summary>
    public DicomUid? DeviceUid { get; init; }
}

/// <summary>
/// One item of Contributing Equipment Sequence (0018,A001) (PS3.3 Table C.12-1): e.g. an AI model that contributed
/// to the content, with purpose (109102,DCM,"Processing Equipment") by default (SR.md §2.5).
/// </summary>
public sealed record DicomContributingEquipment(string Manufacturer, string ModelName, string SoftwareVersions)
{
    /// <summary>Purpose of Reference Code Sequence (0040,A170), Type 1.</summary>
    public DicomCodedEntry Purpose { get; init; } = new("109102", "DCM", "Processing Equipment");

    /// <summary>Contribution Description (0018,A003), Type 3.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// One item of Coding Scheme Identification Sequence (0008,0110) (PS3.3 C.12.1.1.2): declares a local (99xxx)
/// coding scheme used in the document.
/// </summary>
public sealed record DicomCodingScheme(string Designator, string Name, string ResponsibleOrganization)
{
    /// <summary>Coding Scheme UID (0008,010C), optional.</summary>
    public DicomUid? Uid { get; init; }
}
