using System.Buffers.Binary;
using System.Text;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Decodes the body of a PDU (everything after the 6-byte header) from a span (PS3.8 §9.3). Malformed input is a
/// value, not an exception: the result carries the A-ABORT reason to send (Table 9-26).
/// </summary>
public static class PduParser
{
    /// <summary>Parses a PDU body of the given type.</summary>
    /// <remarks>P-DATA-TF PDV data is copied; use <see cref="TryParseDataTransfer"/> to reference the body instead.</remarks>
    public static PduParseResult Parse(PduType type, ReadOnlySpan<byte> body)
    {
        try
        {
            return type switch
            {
                PduType.AssociateRequest => ParseAssociate(body, request: true),
                PduType.AssociateAccept => ParseAssociate(body, request: false),
                PduType.AssociateReject => body.Length != 4
                    ? Fail(AbortReason.InvalidPduParameterValue, $"A-ASSOCIATE-RJ PDU-length is {body.Length}, must be 4 (Table 9-21).")
                    : PduParseResult.Ok(new AssociateRejectPdu((AssociateRejectResult)body[1], (AssociateRejectSource)body[2], body[3])),
                PduType.DataTransfer => ParseDataTransferCopy(body),
                PduType.ReleaseRequest => body.Length != 4
                    ? Fail(AbortReason.InvalidPduParameterValue, $"A-RELEASE-RQ PDU-length is {body.Length}, must be 4 (Table 9-24).")
                    : PduParseResult.Ok(new ReleaseRequestPdu()),
                PduType.ReleaseResponse => body.Length != 4
                    ? Fail(AbortReason.InvalidPduParameterValue, $"A-RELEASE-RP PDU-length is {body.Length}, must be 4 (Table 9-25).")
                    : PduParseResult.Ok(new ReleaseResponsePdu()),
                PduType.Abort => body.Length != 4
                    ? Fail(AbortReason.InvalidPduParameterValue, $"A-ABORT PDU-length is {body.Length}, must be 4 (Table 9-26).")
                    : PduParseResult.Ok(new AbortPdu((AbortSource)body[2], (AbortReason)body[3])),
                _ => Fail(AbortReason.UnrecognizedPdu, $"PDU-type {(byte)type:X2}H is not defined (PS3.8 §9.3.1)."),
            };
        }
        catch (MalformedPduException e)
        {
            return Fail(e.Reason, e.Message);
        }
    }

    /// <summary>
    /// Splits a P-DATA-TF body into PDV items that reference <paramref name="body"/> (PS3.8 Table 9-22, 9-23).
    /// Returns false with a reason when an item length is below 2 or runs past the PDU.
    /// </summary>
    public static bool TryParseDataTransfer(ReadOnlyMemory<byte> body, List<PresentationDataValue> values, out string? error)
    {
        values.Clear();
        var span = body.Span;
        int at = 0;
        if (span.Length == 0) { error = "P-DATA-TF has no PDV item (Table 9-22)."; return false; }
        while (at < span.Length)
        {
            if (span.Length - at < 6) { error = $"PDV item header at offset {at} is cut short by the PDU-length."; return false; }
            uint itemLength = BinaryPrimitives.ReadUInt32BigEndian(span[at..]);
            if (itemLength < 2 || itemLength > (uint)(span.Length - at - 4))
            {
                error = $"PDV item-length {itemLength} at offset {at} does not fit the P-DATA-TF PDU-length {span.Length} (Table 9-23).";
                return false;
            }
            byte id = span[at + 4];
            byte header = span[at + 5];
            values.Add(new PresentationDataValue(id, (header & 0x01) != 0, (header & 0x02) != 0, body.Slice(at + 6, (int)itemLength - 2)));
            at += 4 + (int)itemLength;
        }
        error = null;
        return true;
    }

    private static PduParseResult ParseDataTransferCopy(ReadOnlySpan<byte> body)
    {
        var copy = body.ToArray();
        var values = new List<PresentationDataValue>();
        return TryParseDataTransfer(copy, values, out var error)
            ? PduParseResult.Ok(new DataTransferPdu(values))
            : Fail(AbortReason.InvalidPduParameterValue, error!);
    }

    private static PduParseResult Fail(AbortReason reason, string detail) => PduParseResult.Failure(reason, detail);

    // Table 9-11 (RQ) and Table 9-17 (AC): 68 fixed bytes after the PDU-length, then items.
    private static PduParseResult ParseAssociate(ReadOnlySpan<byte> body, bool request)
    {
        string name = request ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        if (body.Length < 68) return Fail(AbortReason.InvalidPduParameterValue, $"{name} PDU-length {body.Length} is shorter than its 68 fixed bytes.");
        ushort version = BinaryPrimitives.ReadUInt16BigEndian(body);
        string called = Encoding.ASCII.GetString(body.Slice(4, 16)).Trim(' ', '\0');
        string calling = Encoding.ASCII.GetString(body.Slice(20, 16)).Trim(' ', '\0');
        string? applicationContext = null;
        var requested = new List<PresentationContextRequest>();
        var results = new List<PresentationContextResult>();
        UserInformation? userInformation = null;

        var items = body[68..];
        while (items.Length > 0)
        {
            byte type = NextItem(ref items, name, out var value);
            switch (type)
            {
                case 0x10: applicationContext = Text(value); break;
                case 0x20 when request: requested.Add(ParseRequestedContext(value)); break;
                case 0x21 when !request: results.Add(ParseContextResult(value)); break;
                case 0x50: userInformation = ParseUserInformation(value); break;
                default: break; // unknown items are skipped (PS3.8 §9.3.1)
            }
        }
        if (applicationContext is null) return Fail(AbortReason.InvalidPduParameterValue, $"{name} has no application context item (Table 9-12).");
        userInformation ??= new UserInformation();
        Pdu pdu = request
            ? new AssociateRequestPdu(called, calling, requested, userInformation) { ProtocolVersion = version, ApplicationContextName = applicationContext }
            : new AssociateAcceptPdu(called, calling, results, userInformation) { ProtocolVersion = version, ApplicationContextName = applicationContext };
        return PduParseResult.Ok(pdu);
    }

    // Items and sub-items: type, reserved, 2-byte item-length, value (PS3.8 §9.3.2.1 ff.).
    private static byte NextItem(ref ReadOnlySpan<byte> items, string where, out ReadOnlySpan<byte> value)
    {
        if (items.Length < 4) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, $"{where}: an item header is cut short ({items.Length} bytes left).");
        byte type = items[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(items[2..]);
        if (length > items.Length - 4)
            throw new MalformedPduException(AbortReason.InvalidPduParameterValue, $"{where}: item {type:X2}H claims {length} bytes but only {items.Length - 4} remain.");
        value = items.Slice(4, length);
        items = items[(4 + length)..];
        return type;
    }

    private static PresentationContextRequest ParseRequestedContext(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, "Presentation context item shorter than 4 bytes (Table 9-13).");
        byte id = value[0];
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        var subItems = value[4..];
        while (subItems.Length > 0)
        {
            byte type = NextItem(ref subItems, "presentation context item", out var sub);
            if (type == 0x30) abstractSyntax = Text(sub);
            else if (type == 0x40) transferSyntaxes.Add(Text(sub));
        }
        if (abstractSyntax is null) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, $"Presentation context {id} has no abstract syntax sub-item (Table 9-13).");
        if (transferSyntaxes.Count == 0) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, $"Presentation context {id} has no transfer syntax sub-item (Table 9-13).");
        return new PresentationContextRequest(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextResult ParseContextResult(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, "Presentation context item shorter than 4 bytes (Table 9-18).");
        byte id = value[0];
        var result = (PresentationContextResultReason)value[2];
        string transferSyntax = "";
        var subItems = value[4..];
        while (subItems.Length > 0)
        {
            byte type = NextItem(ref subItems, "presentation context item", out var sub);
            if (type == 0x40) transferSyntax = Text(sub);
        }
        return new PresentationContextResult(id, result, transferSyntax);
    }

    private static UserInformation ParseUserInformation(ReadOnlySpan<byte> value)
    {
        uint maxLength = 0;
        string implementationClass = "";
        string? version = null;
        AsynchronousOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        var extended = new List<SopClassExtendedNegotiation>();
        var common = new List<SopClassCommonExtendedNegotiation>();
        UserIdentityRequest? identityRequest = null;
        UserIdentityResponse? identityResponse = null;

        while (value.Length > 0)
        {
            byte type = NextItem(ref value, "user information item", out var sub);
            switch (type)
            {
                case 0x51:
                    Require(sub, 4, "Maximum Length sub-item (Table D.1-1)");
                    maxLength = BinaryPrimitives.ReadUInt32BigEndian(sub);
                    break;
                case 0x52: implementationClass = Text(sub); break;
                case 0x53:
                    Require(sub, 4, "Asynchronous Operations Window sub-item (Table D.3-7)");
                    window = new AsynchronousOperationsWindow(BinaryPrimitives.ReadUInt16BigEndian(sub), BinaryPrimitives.ReadUInt16BigEndian(sub[2..]));
                    break;
                case 0x54:
                {
                    var rest = sub;
                    string uid = LengthPrefixedText(ref rest, "Role Selection sub-item (Table D.3-9)");
                    Require(rest, 2, "Role Selection sub-item (Table D.3-9)");
                    roles.Add(new RoleSelection(uid, rest[0] == 1, rest[1] == 1));
                    break;
                }
                case 0x55: version = Text(sub); break;
                case 0x56:
                {
                    var rest = sub;
                    string uid = LengthPrefixedText(ref rest, "SOP Class Extended Negotiation sub-item (Table D.3-11)");
                    extended.Add(new SopClassExtendedNegotiation(uid, rest.ToArray()));
                    break;
                }
                case 0x57:
                {
                    var rest = sub;
                    const string where = "SOP Class Common Extended Negotiation sub-item (Table D.3-12)";
                    string sopClass = LengthPrefixedText(ref rest, where);
                    string serviceClass = LengthPrefixedText(ref rest, where);
                    Require(rest, 2, where);
                    int relatedLength = BinaryPrimitives.ReadUInt16BigEndian(rest);
                    rest = rest[2..];
                    Require(rest, relatedLength, where);
                    var related = rest[..relatedLength];
                    var relatedUids = new List<string>();
                    while (related.Length > 0) relatedUids.Add(LengthPrefixedText(ref related, where));
                    common.Add(new SopClassCommonExtendedNegotiation(sopClass, serviceClass, relatedUids));
                    break;
                }
                case 0x58:
                {
                    const string where = "User Identity sub-item (Table D.3-14)";
                    Require(sub, 4, where);
                    var type58 = (UserIdentityType)sub[0];
                    bool positive = sub[1] == 1;
                    var rest = sub[2..];
                    var primary = LengthPrefixedBytes(ref rest, where);
                    var secondary = rest.Length >= 2 ? LengthPrefixedBytes(ref rest, where) : [];
                    identityRequest = new UserIdentityRequest(type58, positive, primary, secondary);
                    break;
                }
                case 0x59:
                {
                    var rest = sub;
                    identityResponse = new UserIdentityResponse(LengthPrefixedBytes(ref rest, "User Identity response sub-item (Table D.3-15)"));
                    break;
                }
                default: break; // unknown sub-items are skipped
            }
        }
        return new UserInformation
        {
            MaxLength = maxLength,
            ImplementationClassUid = implementationClass,
            ImplementationVersionName = version,
            AsynchronousOperationsWindow = window,
            RoleSelections = roles,
            ExtendedNegotiations = extended,
            CommonExtendedNegotiations = common,
            UserIdentityRequest = identityRequest,
            UserIdentityResponse = identityResponse,
        };
    }

    private static void Require(ReadOnlySpan<byte> span, int length, string where)
    {
        if (span.Length < length) throw new MalformedPduException(AbortReason.InvalidPduParameterValue, $"{where} is cut short: {span.Length} bytes, needs {length}.");
    }

    private static byte[] LengthPrefixedBytes(ref ReadOnlySpan<byte> span, string where)
    {
        Require(span, 2, where);
        int length = BinaryPrimitives.ReadUInt16BigEndian(span);
        Require(span[2..], length, where);
        var value = span.Slice(2, length).ToArray();
        span = span[(2 + length)..];
        return value;
    }

    private static string LengthPrefixedText(ref ReadOnlySpan<byte> span, string where) => Text(LengthPrefixedBytes(ref span, where));

    // UIDs and names in items are ISO 646; a trailing NUL or space pad is tolerated (PS3.8 Annex F, PS3.5 §9.1).
    private static string Text(ReadOnlySpan<byte> value) => Encoding.ASCII.GetString(value).TrimEnd('\0', ' ').TrimStart(' ');

    private sealed class MalformedPduException(AbortReason reason, string message) : Exception(message)
    {
        public AbortReason Reason { get; } = reason;
    }
}
