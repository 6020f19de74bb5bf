using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// A DIMSE message (PS3.7 §6.3): a command set (group 0000, always Implicit VR Little Endian) and an optional data set.
/// Typed properties read and write the command elements of PS3.7 §9.3 and §E.1.
/// </summary>
public class DicomMessage
{
    /// <summary>No data set follows (Command Data Set Type 0x0101).</summary>
    public const ushort NoDataSet = 0x0101;

    /// <summary>Wraps an existing command set.</summary>
    public DicomMessage(DicomDataset command, DicomDataset? dataset = null)
    {
        Command = command;
        Dataset = dataset;
    }

    /// <summary>The command set.</summary>
    public DicomDataset Command { get; }

    /// <summary>The data set (identifier, SOP instance) or null.</summary>
    public DicomDataset? Dataset { get; set; }

    /// <summary>The presentation context the message travels on.</summary>
    public byte PresentationContextId { get; set; }

    /// <summary>Command Field.</summary>
    public DicomCommandField CommandField
    {
        get => (DicomCommandField)Command.GetSingleValueOrDefault<ushort>(DicomTags.CommandField, 0);
        set => Command.AddOrUpdate(DicomTags.CommandField, DicomVR.US, (ushort)value);
    }

    /// <summary>True for requests (the high bit of Command Field clear).</summary>
    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    /// <summary>Affected SOP Class UID.</summary>
    public string? AffectedSOPClassUID
    {
        get => Command.TryGetString(DicomTags.AffectedSOPClassUID, out var v) ? v : null;
        set => Set(DicomTags.AffectedSOPClassUID, DicomVR.UI, value);
    }

    /// <summary>Affected SOP Instance UID.</summary>
    public string? AffectedSOPInstanceUID
    {
        get => Command.TryGetString(DicomTags.AffectedSOPInstanceUID, out var v) ? v : null;
        set => Set(DicomTags.AffectedSOPInstanceUID, DicomVR.UI, value);
    }

    /// <summary>True when Command Data Set Type says a data set follows.</summary>
    public bool HasDataset
    {
        get => Command.GetSingleValueOrDefault<ushort>(DicomTags.CommandDataSetType, NoDataSet) != NoDataSet;
        set => Command.AddOrUpdate(DicomTags.CommandDataSetType, DicomVR.US, value ? (ushort)0x0000 : NoDataSet);
    }

    private protected void Set(DicomTag tag, DicomVR vr, string? value)
    {
        if (value is null) Command.Remove(tag); else Command.AddOrUpdate(tag, vr, value);
    }

    /// <summary>Encodes the command set with its Command Group Length (Implicit VR LE, PS3.7 §6.3.1).</summary>
    public byte[] EncodeCommand()
    {
        Command.Remove(DicomTags.CommandGroupLength);
        using var body = new MemoryStream();
        new DicomWriter(body, DicomTransferSyntax.ImplicitVRLittleEndian).Write(Command);
        using var ms = new MemoryStream((int)body.Length + 12);
        var withLength = new DicomDataset();
        withLength.AddOrUpdate(DicomTags.CommandGroupLength, DicomVR.UL, (uint)body.Length);
        new DicomWriter(ms, DicomTransferSyntax.ImplicitVRLittleEndian).Write(withLength);
        body.Position = 0;
        body.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Decodes a command set (Implicit VR LE).</summary>
    public static DicomDataset DecodeCommand(ReadOnlyMemory<byte> bytes)
    {
        using var ms = new MemoryStream(bytes.ToArray(), writable: false);
        return DicomFile.ReadDataset(ms, DicomTransferSyntax.ImplicitVRLittleEndian);
    }

    /// <summary>Makes the right message type for a decoded command set.</summary>
    public static DicomMessage FromCommand(DicomDataset command)
    {
        var field = (DicomCommandField)command.GetSingleValueOrDefault<ushort>(DicomTags.CommandField, 0);
        return ((ushort)field & 0x8000) != 0 ? new DicomResponse(command) : new DicomRequest(command);
    }

    public override string ToString() => $"{CommandField} (context {PresentationContextId})";
}

/// <summary>A DIMSE request.</summary>
public sealed class DicomRequest : DicomMessage
{
    /// <summary>Wraps an existing command set.</summary>
    public DicomRequest(DicomDataset command, DicomDataset? dataset = null) : base(command, dataset) { }

    /// <summary>Creates a request with the given command field, SOP class and message ID.</summary>
    public DicomRequest(DicomCommandField field, string sopClassUid, ushort messageId, DicomDataset? dataset = null) : base(new DicomDataset(), dataset)
    {
        CommandField = field;
        AffectedSOPClassUID = sopClassUid;
        MessageID = messageId;
        HasDataset = dataset is not null;
        if (field is DicomCommandField.CStoreRequest or DicomCommandField.CFindRequest or DicomCommandField.CMoveRequest or DicomCommandField.CGetRequest)
            Priority = DicomPriority.Medium;
    }

    /// <summary>Message ID.</summary>
    public ushort MessageID
    {
        get => Command.GetSingleValueOrDefault<ushort>(DicomTags.MessageID, 0);
        set => Command.AddOrUpdate(DicomTags.MessageID, DicomVR.US, value);
    }

    /// <summary>Priority.</summary>
    public DicomPriority Priority
    {
        get => (DicomPriority)Command.GetSingleValueOrDefault<ushort>(DicomTags.Priority, 0);
        set => Command.AddOrUpdate(DicomTags.Priority, DicomVR.US, (ushort)value);
    }

    /// <summary>Move Destination (C-MOVE).</summary>
    public string? MoveDestination
    {
        get => Command.TryGetString(DicomTags.MoveDestination, out var v) ? v : null;
        set => Set(DicomTags.MoveDestination, DicomVR.AE, value);
    }

    /// <summary>Move Originator AE Title (C-STORE sub-operation of a C-MOVE).</summary>
    public string? MoveOriginatorAETitle
    {
        get => Command.TryGetString(DicomTags.MoveOriginatorApplicationEntityTitle, out var v) ? v : null;
        set => Set(DicomTags.MoveOriginatorApplicationEntityTitle, DicomVR.AE, value);
    }

    /// <summary>Move Originator Message ID.</summary>
    public ushort? MoveOriginatorMessageID
    {
        get => Command.TryGetSingleValue<ushort>(DicomTags.MoveOriginatorMessageID, out var v) ? v : null;
        set { if (value is { } v) Command.AddOrUpdate(DicomTags.MoveOriginatorMessageID, DicomVR.US, v); else Command.Remove(DicomTags.MoveOriginatorMessageID); }
    }

    /// <summary>C-ECHO-RQ.</summary>
    public static DicomRequest CEcho(ushort messageId) => new(DicomCommandField.CEchoRequest, "1.2.840.10008.1.1", messageId);

    /// <summary>C-STORE-RQ for an instance (data sent separately or from <paramref name="dataset"/>).</summary>
    public static DicomRequest CStore(string sopClassUid, string sopInstanceUid, ushort messageId, DicomDataset? dataset = null)
    {
        var r = new DicomRequest(DicomCommandField.CStoreRequest, sopClassUid, messageId, dataset) { AffectedSOPInstanceUID = sopInstanceUid };
        r.HasDataset = true;
        return r;
    }

    /// <summary>C-FIND-RQ with an identifier.</summary>
    public static DicomRequest CFind(string sopClassUid, ushort messageId, DicomDataset identifier) => new(DicomCommandField.CFindRequest, sopClassUid, messageId, identifier);

    /// <summary>C-MOVE-RQ with an identifier and destination AE.</summary>
    public static DicomRequest CMove(string sopClassUid, ushort messageId, string destination, DicomDataset identifier) =>
        new(DicomCommandField.CMoveRequest, sopClassUid, messageId, identifier) { MoveDestination = destination };

    /// <summary>C-GET-RQ with an identifier.</summary>
    public static DicomRequest CGet(string sopClassUid, ushort messageId, DicomDataset identifier) => new(DicomCommandField.CGetRequest, sopClassUid, messageId, identifier);

    /// <summary>C-CANCEL-RQ for the operation with <paramref name="messageIdBeingRespondedTo"/> (PS3.7 §9.3.2.3).</summary>
    public static DicomRequest CCancel(ushort messageIdBeingRespondedTo)
    {
        var r = new DicomRequest(new DicomDataset()) { CommandField = DicomCommandField.CCancelRequest };
        r.Command.AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, messageIdBeingRespondedTo);
        r.HasDataset = false;
        return r;
    }
}

/// <summary>A DIMSE response.</summary>
public sealed class DicomResponse : DicomMessage
{
    /// <summary>Wraps an existing command set.</summary>
    public DicomResponse(DicomDataset command, DicomDataset? dataset = null) : base(command, dataset) { }

    /// <summary>Creates the response to <paramref name="request"/> with <paramref name="status"/>.</summary>
    public DicomResponse(DicomRequest request, DicomStatus status, DicomDataset? dataset = null, string? errorComment = null) : base(new DicomDataset(), dataset)
    {
        CommandField = (DicomCommandField)((ushort)request.CommandField | 0x8000);
        AffectedSOPClassUID = request.AffectedSOPClassUID;
        MessageIDBeingRespondedTo = request.MessageID;
        if (request.AffectedSOPInstanceUID is { } inst && request.CommandField == DicomCommandField.CStoreRequest) AffectedSOPInstanceUID = inst;
        Status = status;
        HasDataset = dataset is not null;
        if (errorComment is not null && !status.IsSuccess && !status.IsPending) ErrorComment = errorComment;
        PresentationContextId = request.PresentationContextId;
    }

    /// <summary>Message ID Being Responded To.</summary>
    public ushort MessageIDBeingRespondedTo
    {
        get => Command.GetSingleValueOrDefault<ushort>(DicomTags.MessageIDBeingRespondedTo, 0);
        set => Command.AddOrUpdate(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, value);
    }

    /// <summary>Status.</summary>
    public DicomStatus Status
    {
        get => new(Command.GetSingleValueOrDefault<ushort>(DicomTags.Status, 0xC000));
        set => Command.AddOrUpdate(DicomTags.Status, DicomVR.US, value.Code);
    }

    /// <summary>Error Comment, truncated to 64 characters when set (PS3.7 C.4.2).</summary>
    public string? ErrorComment
    {
        get => Command.TryGetString(DicomTags.ErrorComment, out var v) ? v : null;
        set => Set(DicomTags.ErrorComment, DicomVR.LO, value is null ? null : DicomStatus.TruncateComment(value));
    }

    /// <summary>Offending Element(s).</summary>
    public DicomTag[] OffendingElements
    {
        get => Command.TryGetValues<DicomTag>(DicomTags.OffendingElement, out var v) ? v : [];
        set { if (value.Length == 0) Command.Remove(DicomTags.OffendingElement); else Command.AddOrUpdate(DicomTags.OffendingElement, DicomVR.AT, value); }
    }

    /// <summary>Sets the sub-operation counters of C-MOVE/C-GET responses (PS3.4 C.4.2.1.4, C.4.3.1.4).</summary>
    public void SetSubOperations(int remaining, int completed, int failed, int warning, bool includeRemaining = true)
    {
        if (includeRemaining) Command.AddOrUpdate(DicomTags.NumberOfRemainingSuboperations, DicomVR.US, (ushort)remaining);
        else Command.Remove(DicomTags.NumberOfRemainingSuboperations);
        Command.AddOrUpdate(DicomTags.NumberOfCompletedSuboperations, DicomVR.US, (ushort)completed);
        Command.AddOrUpdate(DicomTags.NumberOfFailedSuboperations, DicomVR.US, (ushort)failed);
        Command.AddOrUpdate(DicomTags.NumberOfWarningSuboperations, DicomVR.US, (ushort)warning);
    }

    /// <summary>Number of Remaining Sub-operations, when present.</summary>
    public int? Remaining => Command.TryGetSingleValue<ushort>(DicomTags.NumberOfRemainingSuboperations, out var v) ? v : null;
    /// <summary>Number of Completed Sub-operations, when present.</summary>
    public int? Completed => Command.TryGetSingleValue<ushort>(DicomTags.NumberOfCompletedSuboperations, out var v) ? v : null;
    /// <summary>Number of Failed Sub-operations, when present.</summary>
    public int? Failed => Command.TryGetSingleValue<ushort>(DicomTags.NumberOfFailedSuboperations, out var v) ? v : null;
    /// <summary>Number of Warning Sub-operations, when present.</summary>
    public int? Warning => Command.TryGetSingleValue<ushort>(DicomTags.NumberOfWarningSuboperations, out var v) ? v : null;

    public override string ToString() => $"{CommandField} {Status}{(ErrorComment is { } c ? " \"" + c + "\"" : "")}";
}
