using System.Buffers;
using System.Buffers.Binary;

namespace EdgeCancer.Dicom.Network;

/// <summary>Encodes PDUs to their wire form (PS3.8 §9.3). Stateless.</summary>
public static class PduWriter
{
    /// <summary>Bytes before the data of a P-DATA-TF that carries exactly one PDV: PDU header (6) plus PDV header (6).</summary>
    public const int SinglePdvOverhead = Pdu.HeaderLength + PresentationDataValue.HeaderLength;

    /// <summary>Writes <paramref name="pdu"/> to <paramref name="output"/> and returns the number of bytes written.</summary>
    public static int Write(Pdu pdu, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(pdu);
        ArgumentNullException.ThrowIfNull(output);
        if (pdu is DataTransferPdu data)
        {
            int size = GetDataTransferLength(data);
            var span = output.GetSpan(size)[..size];
            WriteDataTransfer(data, span);
            output.Advance(size);
            return size;
        }
        var buffer = Encode(pdu);
        output.Write(buffer.WrittenSpan);
        return buffer.Length;
    }

    /// <summary>Encodes <paramref name="pdu"/> into a new array.</summary>
    public static byte[] ToArray(Pdu pdu)
    {
        var writer = new ArrayBufferWriter<byte>();
        Write(pdu, writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the 12-byte header of a P-DATA-TF PDU holding one PDV of <paramref name="dataLength"/> bytes; the data
    /// follows it on the wire. Used by the send path to avoid building a <see cref="DataTransferPdu"/>.
    /// </summary>
    public static void WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, bool isCommand, bool isLast, int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        destination[0] = (byte)PduType.DataTransfer;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], checked((uint)(dataLength + PresentationDataValue.HeaderLength)));
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], checked((uint)(dataLength + 2)));
        destination[10] = presentationContextId;
        destination[11] = (byte)((isCommand ? 0x01 : 0x00) | (isLast ? 0x02 : 0x00));
    }

    private static int GetDataTransferLength(DataTransferPdu pdu)
    {
        long length = Pdu.HeaderLength;
        foreach (var pdv in pdu.Values) length += PresentationDataValue.HeaderLength + pdv.Data.Length;
        return checked((int)length);
    }

    // PS3.8 §9.3.5, Table 9-22; PDV item Table 9-23 and Annex E.2.
    private static void WriteDataTransfer(DataTransferPdu pdu, Span<byte> span)
    {
        span[0] = (byte)PduType.DataTransfer;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], (uint)(span.Length - Pdu.HeaderLength));
        int at = Pdu.HeaderLength;
        foreach (var pdv in pdu.Values)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)(pdv.Data.Length + 2));
            span[at + 4] = pdv.PresentationContextId;
            span[at + 5] = pdv.MessageControlHeader;
            pdv.Data.Span.CopyTo(span[(at + 6)..]);
            at += PresentationDataValue.HeaderLength + pdv.Data.Length;
        }
    }

    private static PduBuffer Encode(Pdu pdu)
    {
        var b = new PduBuffer();
        b.Byte((byte)pdu.Type);
        b.Byte(0);
        b.UInt32(0); // PDU-length, patched below
        switch (pdu)
        {
            case AssociateRequestPdu rq:
                WriteAssociateHeader(b, rq.ProtocolVersion, rq.CalledAETitle, rq.CallingAETitle, rq.ApplicationContextName);
                foreach (var pc in rq.PresentationContexts)
                {
                    // Table 9-13: ID, three reserved bytes, one abstract syntax, one or more transfer syntaxes.
                    int item = b.BeginItem(0x20);
                    b.Byte(pc.Id);
                    b.Zeros(3);
                    UidItem(b, 0x30, pc.AbstractSyntax);
                    foreach (var ts in pc.TransferSyntaxes) UidItem(b, 0x40, ts);
                    b.EndItem(item);
                }
                WriteUserInformation(b, rq.UserInformation);
                break;
            case AssociateAcceptPdu ac:
                WriteAssociateHeader(b, ac.ProtocolVersion, ac.CalledAETitle, ac.CallingAETitle, ac.ApplicationContextName);
                foreach (var pc in ac.PresentationContexts)
                {
                    // Table 9-18: ID, reserved, result/reason, reserved, one transfer syntax sub-item.
                    int item = b.BeginItem(0x21);
                    b.Byte(pc.Id);
                    b.Byte(0);
                    b.Byte((byte)pc.Result);
                    b.Byte(0);
                    UidItem(b, 0x40, pc.TransferSyntax);
                    b.EndItem(item);
                }
                WriteUserInformation(b, ac.UserInformation);
                break;
            case AssociateRejectPdu rj:
                b.Byte(0);
                b.Byte((byte)rj.Result);
                b.Byte((byte)rj.Source);
                b.Byte(rj.Reason);
                break;
            case ReleaseRequestPdu or ReleaseResponsePdu:
                b.Zeros(4);
                break;
            case AbortPdu ab:
                b.Zeros(2);
                b.Byte((byte)ab.Source);
                b.Byte(ab.Source == AbortSource.ServiceUser ? (byte)0 : (byte)ab.Reason);
                break;
            default:
                throw new ArgumentException($"Unknown PDU record {pdu.GetType().Name}.", nameof(pdu));
        }
        b.PatchUInt32(2, (uint)(b.Length - Pdu.HeaderLength));
        return b;
    }

    // Table 9-11 bytes 7-74 and the application context item (Table 9-12).
    private static void WriteAssociateHeader(PduBuffer b, ushort protocolVersion, string called, string calling, string applicationContext)
    {
        b.UInt16(protocolVersion);
        b.Zeros(2);
        b.AETitle(called);
        b.AETitle(calling);
        b.Zeros(32);
        UidItem(b, 0x10, applicationContext);
    }

    private static void UidItem(PduBuffer b, byte type, string uid)
    {
        int item = b.BeginItem(type);
        b.Ascii(uid);
        b.EndItem(item);
    }

    // Table 9-16 and the sub-items of PS3.8 Annex D.1 and PS3.7 Annex D.3.3, written in increasing item type order.
    private static void WriteUserInformation(PduBuffer b, UserInformation ui)
    {
        int item = b.BeginItem(0x50);

        int sub = b.BeginItem(0x51);
        b.UInt32(ui.MaxLength);
        b.EndItem(sub);

        UidItem(b, 0x52, ui.ImplementationClassUid);

        if (ui.AsynchronousOperationsWindow is { } window)
        {
            sub = b.BeginItem(0x53);
            b.UInt16(window.MaxOperationsInvoked);
            b.UInt16(window.MaxOperationsPerformed);
            b.EndItem(sub);
        }

        foreach (var role in ui.RoleSelections)
        {
            sub = b.BeginItem(0x54);
            b.LengthPrefixedAscii(role.SopClassUid);
            b.Byte(role.ScuRole ? (byte)1 : (byte)0);
            b.Byte(role.ScpRole ? (byte)1 : (byte)0);
            b.EndItem(sub);
        }

        if (ui.ImplementationVersionName is { Length: > 0 } version) UidItem(b, 0x55, version);

        foreach (var ext in ui.ExtendedNegotiations)
        {
            sub = b.BeginItem(0x56);
            b.LengthPrefixedAscii(ext.SopClassUid);
            b.Bytes(ext.ServiceClassApplicationInformation.Span);
            b.EndItem(sub);
        }

        foreach (var common in ui.CommonExtendedNegotiations)
        {
            sub = b.BeginItem(0x57, secondByte: 0); // sub-item version 0 (Table D.3-12)
            b.LengthPrefixedAscii(common.SopClassUid);
            b.LengthPrefixedAscii(common.ServiceClassUid);
            int related = b.Length;
            b.UInt16(0);
            foreach (var uid in common.RelatedGeneralSopClassUids) b.LengthPrefixedAscii(uid);
            int relatedLength = b.Length - related - 2;
            b.PatchUInt16(related, checked((ushort)relatedLength)); // related-general-sop-class-identification-length (Table D.3-12)
            b.EndItem(sub);
        }

        if (ui.UserIdentityRequest is { } identity)
        {
            sub = b.BeginItem(0x58);
            b.Byte((byte)identity.IdentityType);
            b.Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
            b.UInt16(checked((ushort)identity.PrimaryField.Length));
            b.Bytes(identity.PrimaryField.Span);
            b.UInt16(checked((ushort)identity.SecondaryField.Length));
            b.Bytes(identity.SecondaryField.Span);
            b.EndItem(sub);
        }

        if (ui.UserIdentityResponse is { } response)
        {
            sub = b.BeginItem(0x59);
            b.UInt16(checked((ushort)response.ServerResponse.Length));
            b.Bytes(response.ServerResponse.Span);
            b.EndItem(sub);
        }

        b.EndItem(item);
    }
}
