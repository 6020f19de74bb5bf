namespace EdgeCancer.Dicom.Network;

/// <summary>The category of a DIMSE status (PS3.7 Annex C).</summary>
public enum DicomState { Success, Cancel, Pending, Warning, Failure }

/// <summary>A DIMSE status code (PS3.7 Annex C, PS3.4 Annex B/C) with its category and meaning. An outcome value, not an exception.</summary>
public readonly record struct DicomStatus(ushort Code)
{
    /// <summary>Category of the code (PS3.7 C.1–C.4, including the A7xx/A9xx/Cxxx failure ranges).</summary>
    public DicomState State => Code switch
    {
        0x0000 => DicomState.Success,
        0xFE00 => DicomState.Cancel,
        0xFF00 or 0xFF01 => DicomState.Pending,
        0x0001 or 0x0107 or 0x0116 or 0xB000 or 0xB006 or 0xB007 => DicomState.Warning,
        _ when (Code & 0xF000) == 0xB000 => DicomState.Warning,
        _ => DicomState.Failure,
    };

    /// <summary>True for success.</summary>
    public bool IsSuccess => State == DicomState.Success;
    /// <summary>True for pending (more responses follow).</summary>
    public bool IsPending => State == DicomState.Pending;
    /// <summary>True for failure.</summary>
    public bool IsFailure => State == DicomState.Failure;

    /// <summary>The meaning of the code as PS3.4/PS3.7 name it.</summary>
    public string Description => Code switch
    {
        0x0000 => "Success",
        0xFE00 => "Cancel: sub-operations terminated due to Cancel indication",
        0xFF00 => "Pending",
        0xFF01 => "Pending: optional keys not supported",
        0x0001 => "Warning: requested optional attributes not supported",
        0x0107 => "Warning: attribute list error",
        0x0116 => "Warning: attribute value out of range",
        0xB000 => "Warning: coercion of data elements / sub-operations complete, one or more failures",
        0xB006 => "Warning: elements discarded",
        0xB007 => "Warning: data set does not match SOP class",
        0x0105 => "Failure: no such attribute",
        0x0106 => "Failure: invalid attribute value",
        0x0110 => "Failure: processing failure",
        0x0111 => "Failure: duplicate SOP instance",
        0x0112 => "Failure: no such object instance",
        0x0117 => "Failure: invalid object instance",
        0x0118 => "Failure: no such SOP class",
        0x0119 => "Failure: class-instance conflict",
        0x0120 => "Failure: missing attribute",
        0x0121 => "Failure: missing attribute value",
        0x0122 => "Failure: SOP class not supported",
        0x0124 => "Failure: not authorized",
        0x0210 => "Failure: duplicate invocation",
        0x0211 => "Failure: unrecognized operation",
        0x0212 => "Failure: mistyped argument",
        0x0213 => "Failure: resource limitation",
        0xA700 => "Failure: out of resources",
        0xA701 => "Failure: out of resources, unable to calculate number of matches",
        0xA702 => "Failure: out of resources, unable to perform sub-operations",
        0xA801 => "Failure: move destination unknown",
        0xA900 => "Failure: identifier does not match SOP class",
        0xAA00 => "Failure: none of the frames requested were found in the SOP instance",
        0xC000 => "Failure: unable to process",
        _ when (Code & 0xFF00) == 0xA700 => "Failure: out of resources",
        _ when (Code & 0xFF00) == 0xA900 => "Failure: data set does not match SOP class",
        _ when (Code & 0xF000) == 0xC000 => "Failure: cannot understand",
        _ => $"Status 0x{Code:X4}",
    };

    public override string ToString() => $"0x{Code:X4} ({Description})";

#pragma warning disable CS1591
    public static readonly DicomStatus Success = new(0x0000);
    public static readonly DicomStatus Cancel = new(0xFE00);
    public static readonly DicomStatus Pending = new(0xFF00);
    public static readonly DicomStatus PendingWarning = new(0xFF01);
    public static readonly DicomStatus CoercionOfDataElements = new(0xB000);
    public static readonly DicomStatus SubOperationsCompleteWithFailures = new(0xB000);
    public static readonly DicomStatus ElementsDiscarded = new(0xB006);
    public static readonly DicomStatus DataSetDoesNotMatchSOPClassWarning = new(0xB007);
    public static readonly DicomStatus ProcessingFailure = new(0x0110);
    public static readonly DicomStatus DuplicateSOPInstance = new(0x0111);
    public static readonly DicomStatus NoSuchObjectInstance = new(0x0112);
    public static readonly DicomStatus InvalidObjectInstance = new(0x0117);
    public static readonly DicomStatus NoSuchSOPClass = new(0x0118);
    public static readonly DicomStatus ClassInstanceConflict = new(0x0119);
    public static readonly DicomStatus MissingAttribute = new(0x0120);
    public static readonly DicomStatus SOPClassNotSupported = new(0x0122);
    public static readonly DicomStatus NotAuthorized = new(0x0124);
    public static readonly DicomStatus DuplicateInvocation = new(0x0210);
    public static readonly DicomStatus UnrecognizedOperation = new(0x0211);
    public static readonly DicomStatus MistypedArgument = new(0x0212);
    public static readonly DicomStatus ResourceLimitation = new(0x0213);
    public static readonly DicomStatus OutOfResources = new(0xA700);
    public static readonly DicomStatus OutOfResourcesNumberOfMatches = new(0xA701);
    public static readonly DicomStatus OutOfResourcesSubOperations = new(0xA702);
    public static readonly DicomStatus MoveDestinationUnknown = new(0xA801);
    public static readonly DicomStatus IdentifierDoesNotMatchSOPClass = new(0xA900);
    public static readonly DicomStatus UnableToProcess = new(0xC000);
#pragma warning restore CS1591

    /// <summary>Error Comment (0000,0902) is LO: at most 64 characters (PS3.7 C.4.2).</summary>
    public static string TruncateComment(string comment) => comment.Length <= 64 ? comment : comment[..61] + "...";
}
