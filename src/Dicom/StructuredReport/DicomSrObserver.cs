namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// A person or device as the Identified Person or Device Macro (PS3.3 Table 10-18) describes it, for Author Observer
/// Sequence (0040,A078) and Participant Sequence (0040,A07A) items.
/// </summary>
public sealed record DicomSrObserver
{
    private DicomSrObserver() { }

    /// <summary>True for a device (Observer Type DEV), false for a person (PSN).</summary>
    public bool IsDevice { get; private init; }

    /// <summary>Person Name (0040,A123), for a person.</summary>
    public DicomPersonName? PersonName { get; private init; }

    /// <summary>Person Identification Code Sequence (0040,1101), Type 2C for a person (empty when null).</summary>
    public DicomCodedEntry? PersonIdentification { get; private init; }

    /// <summary>Device UID (0018,1002), Type 1C for a device.</summary>
    public DicomUid? DeviceUid { get; private init; }

    /// <summary>Manufacturer (0008,0070), Type 1C for a device.</summary>
    public string? Manufacturer { get; private init; }

    /// <summary>Manufacturer's Model Name (0008,1090), Type 1C for a device.</summary>
    public string? ModelName { get; private init; }

    /// <summary>Station Name (0008,1010), Type 2C for a device.</summary>
    public string? StationName { get; private init; }

    /// <summary>Institution Name (0008,0080), Type 2.</summary>
    public string? InstitutionName { get; init; }

    /// <summary>A person.</summary>
    public static DicomSrObserver Person(DicomPersonName name, string? institution = null, DicomCodedEntry? identification = null) =>
        new() { PersonName = name, InstitutionName = institution, PersonIdentification = identification };

    /// <summary>A device.</summary>
    public static DicomSrObserver Device(DicomUid deviceUid, string manufacturer, string modelName, string? stationName = null, string? institution = null) =>
        new() { IsDevice = true, DeviceUid = deviceUid, Manufacturer = manufacturer, ModelName = modelName, StationName = stationName, InstitutionName = institution };
}

/// <summary>Participation Type (0040,A080) of a Participant Sequence item (PS3.3 C.17.2.5).</summary>
public enum DicomParticipationType
{
    /// <summary>SOURCE: the equipment or person that provided the content.</summary>
    Source,
    /// <summary>ENT: data enterer.</summary>
    Enterer,
    /// <summary>ATTEST: attestor.</summary>
    Attest,
}

/// <summary>One item of Participant Sequence (0040,A07A): an observer with its role and time (PS3.3 Table C.17-2).</summary>
public sealed record DicomSrParticipant(DicomParticipationType Type, DicomSrObserver Observer, DateTimeOffset? DateTime = null);
