using EdgeCancer.Dicom.Network;
using static EdgeCancer.Dicom.Tests.Network.Bytes;

namespace EdgeCancer.Dicom.Tests.Network;

[Category("UpperLayer")]
public class PduCodecTests
{
    // PS3.8 Table 9-11 (A-ASSOCIATE-RQ) with Table 9-12 (application context), 9-13/9-14/9-15 (presentation context,
    // abstract and transfer syntax) and 9-16 with D.1-1, D.3-1 and D.3-3 (user information: maximum length,
    // implementation class UID and version name). Lengths computed by hand.
    private static readonly byte[] EchoRequest = Of(
        "01 00 000000CD",                   // PDU-type 01H, reserved, PDU-length 205
        "0001 0000",                        // protocol version 1, reserved
        A("ANY-SCP         "),              // called AE title, space padded to 16
        A("ECHOSCU         "),              // calling AE title
        "00000000000000000000000000000000 00000000000000000000000000000000", // 32 reserved bytes
        "10 00 0015", A("1.2.840.10008.3.1.1.1"),          // application context item, 21 bytes
        "20 00 002E 01 00 00 00",                          // presentation context item, 46 bytes, ID 1
        "30 00 0011", A("1.2.840.10008.1.1"),              //   abstract syntax: Verification
        "40 00 0011", A("1.2.840.10008.1.2"),              //   transfer syntax: Implicit VR LE
        "50 00 003A",                                      // user information item, 58 bytes
        "51 00 0004 00004000",                             //   maximum length 16384
        "52 00 001B", A("1.2.276.0.7230010.3.0.3.6.7"),    //   implementation class UID
        "55 00 000F", A("OFFIS_DCMTK_367"));               //   implementation version name

    // PS3.8 Table 9-17 (A-ASSOCIATE-AC) with Table 9-18 (presentation context result).
    private static readonly byte[] EchoAccept = Of(
        "02 00 00000097",                   // PDU-type 02H, PDU-length 151
        "0001 0000",
        A("ANY-SCP         "),
        A("ECHOSCU         "),
        "00000000000000000000000000000000 00000000000000000000000000000000",
        "10 00 0015", A("1.2.840.10008.3.1.1.1"),
        "21 00 0019 01 00 00 00",                          // ID 1, reserved, result 0 (acceptance), reserved
        "40 00 0011", A("1.2.840.10008.1.2"),
        "50 00 0019",
        "51 00 0004 00020000",                             // maximum length 131072
        "52 00 0007", A("1.2.3.4"),
        "55 00 0002", A("EC"));

    [Test]
    public void Encodes_A_ASSOCIATE_RQ_as_in_Table_9_11()
    {
        var rq = new AssociateRequestPdu("ANY-SCP", "ECHOSCU",
            [new PresentationContextRequest(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])],
            new UserInformation { MaxLength = 16384, ImplementationClassUid = "1.2.276.0.7230010.3.0.3.6.7", ImplementationVersionName = "OFFIS_DCMTK_367" });
        Assert.That(Hex(PduWriter.ToArray(rq)), Is.EqualTo(Hex(EchoRequest)));
    }

    [Test]
    public void Decodes_A_ASSOCIATE_RQ_from_Table_9_11_bytes()
    {
        var result = PduParser.Parse(PduType.AssociateRequest, EchoRequest.AsSpan(6));
        var rq = (AssociateRequestPdu)result.Pdu!;
        Assert.Multiple(() =>
        {
            Assert.That(rq.ProtocolVersion, Is.EqualTo(1));
            Assert.That(rq.CalledAETitle, Is.EqualTo("ANY-SCP"));
            Assert.That(rq.CallingAETitle, Is.EqualTo("ECHOSCU"));
            Assert.That(rq.ApplicationContextName, Is.EqualTo("1.2.840.10008.3.1.1.1"));
            Assert.That(rq.PresentationContexts, Has.Count.EqualTo(1));
            Assert.That(rq.PresentationContexts[0].Id, Is.EqualTo(1));
            Assert.That(rq.PresentationContexts[0].AbstractSyntax, Is.EqualTo("1.2.840.10008.1.1"));
            Assert.That(rq.PresentationContexts[0].TransferSyntaxes, Is.EqualTo(new[] { "1.2.840.10008.1.2" }));
            Assert.That(rq.UserInformation.MaxLength, Is.EqualTo(16384));
            Assert.That(rq.UserInformation.ImplementationClassUid, Is.EqualTo("1.2.276.0.7230010.3.0.3.6.7"));
            Assert.That(rq.UserInformation.ImplementationVersionName, Is.EqualTo("OFFIS_DCMTK_367"));
        });
    }

    [Test]
    public void Encodes_and_decodes_A_ASSOCIATE_AC_as_in_Table_9_17()
    {
        var ac = new AssociateAcceptPdu("ANY-SCP", "ECHOSCU",
            [new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2")],
            new UserInformation { MaxLength = 131072, ImplementationClassUid = "1.2.3.4", ImplementationVersionName = "EC" });
        Assert.That(Hex(PduWriter.ToArray(ac)), Is.EqualTo(Hex(EchoAccept)));

        var parsed = (AssociateAcceptPdu)PduParser.Parse(PduType.AssociateAccept, EchoAccept.AsSpan(6)).Pdu!;
        Assert.That(parsed.PresentationContexts[0], Is.EqualTo(new PresentationContextResult(1, PresentationContextResultReason.Acceptance, "1.2.840.10008.1.2")));
        Assert.That(parsed.UserInformation.MaxLength, Is.EqualTo(131072));
    }

    [TestCase(PresentationContextResultReason.UserRejection, "01")]
    [TestCase(PresentationContextResultReason.NoReason, "02")]
    [TestCase(PresentationContextResultReason.AbstractSyntaxNotSupported, "03")]
    [TestCase(PresentationContextResultReason.TransferSyntaxesNotSupported, "04")]
    public void Writes_presentation_context_result_reason_in_the_third_byte_of_the_item(PresentationContextResultReason reason, string hex)
    {
        var ac = new AssociateAcceptPdu("A", "B", [new PresentationContextResult(3, reason, "1.2.840.10008.1.2")], new UserInformation { ImplementationClassUid = "1.2" });
        var bytes = PduWriter.ToArray(ac);
        int item = 6 + 68 + 25; // after the header, fixed fields and application context item
        Assert.That(Hex(bytes.AsSpan(item, 8)), Is.EqualTo("21000019" + "0300" + hex + "00"));
    }

    [Test]
    public void Encodes_A_ASSOCIATE_RJ_as_in_Table_9_21()
    {
        var rj = new AssociateRejectPdu(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCalledAETitleNotRecognized);
        Assert.That(Hex(PduWriter.ToArray(rj)), Is.EqualTo("03000000000400010107"));
        Assert.That(PduParser.Parse(PduType.AssociateReject, Convert.FromHexString("00020302")).Pdu,
            Is.EqualTo(new AssociateRejectPdu(AssociateRejectResult.Transient, AssociateRejectSource.ServiceProviderPresentation, 2)));
    }

    [Test]
    public void Encodes_P_DATA_TF_with_message_control_headers_of_Annex_E()
    {
        var pdu = new DataTransferPdu([
            new PresentationDataValue(1, IsCommand: true, IsLast: true, new byte[] { 0xAA, 0xBB }),
            new PresentationDataValue(3, IsCommand: false, IsLast: false, new byte[] { 0xCC }),
            new PresentationDataValue(3, IsCommand: false, IsLast: true, Array.Empty<byte>()),
        ]);
        // Table 9-22 / 9-23: PDU-length = sum of (4 + item-length); item-length = 2 + data.
        var expected = Of("04 00 00000015",
            "00000004 01 03 AABB",
            "00000003 03 00 CC",
            "00000002 03 02");
        var bytes = PduWriter.ToArray(pdu);
        Assert.That(Hex(bytes), Is.EqualTo(Hex(expected)));

        var parsed = (DataTransferPdu)PduParser.Parse(PduType.DataTransfer, expected.AsSpan(6)).Pdu!;
        Assert.That(parsed.Values.Select(v => (v.PresentationContextId, v.IsCommand, v.IsLast, Hex(v.Data.Span))),
            Is.EqualTo(new[] { ((byte)1, true, true, "AABB"), ((byte)3, false, false, "CC"), ((byte)3, false, true, "") }));
    }

    [Test]
    public void Writes_a_single_PDV_header_for_the_send_path()
    {
        var header = new byte[PduWriter.SinglePdvOverhead];
        PduWriter.WriteSinglePdvHeader(header, 5, isCommand: false, isLast: true, dataLength: 4090);
        Assert.That(Hex(header), Is.EqualTo("04" + "00" + "00001000" + "00000FFC" + "05" + "02"));
    }

    [Test]
    public void Encodes_release_and_abort_PDUs_as_in_Tables_9_24_to_9_26()
    {
        Assert.That(Hex(PduWriter.ToArray(new ReleaseRequestPdu())), Is.EqualTo("05000000000400000000"));
        Assert.That(Hex(PduWriter.ToArray(new ReleaseResponsePdu())), Is.EqualTo("06000000000400000000"));
        Assert.That(Hex(PduWriter.ToArray(new AbortPdu(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue))), Is.EqualTo("07000000000400000206"));
        // Source 0: the reason is not significant and is sent as 00H.
        Assert.That(Hex(PduWriter.ToArray(new AbortPdu(AbortSource.ServiceUser, AbortReason.UnexpectedPdu))), Is.EqualTo("07000000000400000000"));
        Assert.That(PduParser.Parse(PduType.Abort, Convert.FromHexString("00000201")).Pdu, Is.EqualTo(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnrecognizedPdu)));
    }

    // Every user information sub-item (PS3.7 Annex D.3.3), bytes written by hand from its table.
    private static readonly byte[] AllSubItems = Of(
        "51 00 0004 00001000",                                          // D.1-1 maximum length 4096
        "52 00 0007", A("1.2.3.4"),                                     // D.3-1
        "53 00 0004 0005 0003",                                         // D.3-7 invoked 5, performed 3
        "54 00 001D 0019", A("1.2.840.10008.5.1.4.1.1.2"), "01 01",     // D.3-9 CT Image Storage, SCU and SCP
        "55 00 0003", A("V10"),                                         // D.3-3
        "56 00 001E 001B", A("1.2.840.10008.5.1.4.1.2.2.1"), "01",      // D.3-11 Study Root FIND, relational queries
        "57 00 0053 001D", A("1.2.840.10008.5.1.4.1.1.88.22"),          // D.3-12 Enhanced SR
        "0011", A("1.2.840.10008.4.2"),                                 //   service class: Storage
        "001F 001D", A("1.2.840.10008.5.1.4.1.1.88.11"),                //   related general SOP class: Basic Text SR
        "58 00 000E 02 01 0004", A("user"), "0004", A("pass"),          // D.3-14 username and passcode, response requested
        "59 00 0006 0004", A("abcd"));                                  // D.3-15

    private static byte[] RequestWithUserInformation(byte[] subItems, params byte[][] extraItems)
    {
        var items = Of("10 00 0015", A("1.2.840.10008.3.1.1.1"),
            "20 00 002E 01 00 00 00", "30 00 0011", A("1.2.840.10008.1.1"), "40 00 0011", A("1.2.840.10008.1.2"));
        var ui = Of("50 00", ((ushort)subItems.Length).ToString("X4"), subItems);
        var variable = items.Concat(extraItems.SelectMany(x => x)).Concat(ui).ToArray();
        return Of("0001 0000", A("SCP             "), A("SCU             "), new byte[32], variable);
    }

    [Test]
    public void Decodes_every_user_information_sub_item()
    {
        var body = RequestWithUserInformation(AllSubItems);
        var ui = ((AssociateRequestPdu)PduParser.Parse(PduType.AssociateRequest, body).Pdu!).UserInformation;
        Assert.Multiple(() =>
        {
            Assert.That(ui.MaxLength, Is.EqualTo(4096));
            Assert.That(ui.ImplementationClassUid, Is.EqualTo("1.2.3.4"));
            Assert.That(ui.AsynchronousOperationsWindow, Is.EqualTo(new AsynchronousOperationsWindow(5, 3)));
            Assert.That(ui.RoleSelections, Is.EqualTo(new[] { new RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true) }));
            Assert.That(ui.ImplementationVersionName, Is.EqualTo("V10"));
            Assert.That(ui.ExtendedNegotiations.Single().SopClassUid, Is.EqualTo("1.2.840.10008.5.1.4.1.2.2.1"));
            Assert.That(ui.ExtendedNegotiations.Single().ServiceClassApplicationInformation.ToArray(), Is.EqualTo(new byte[] { 1 }));
            var common = ui.CommonExtendedNegotiations.Single();
            Assert.That((common.SopClassUid, common.ServiceClassUid), Is.EqualTo(("1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.4.2")));
            Assert.That(common.RelatedGeneralSopClassUids, Is.EqualTo(new[] { "1.2.840.10008.5.1.4.1.1.88.11" }));
            Assert.That(ui.UserIdentityRequest!.IdentityType, Is.EqualTo(UserIdentityType.UsernameAndPasscode));
            Assert.That(ui.UserIdentityRequest.PositiveResponseRequested, Is.True);
            Assert.That(System.Text.Encoding.ASCII.GetString(ui.UserIdentityRequest.PrimaryField.Span), Is.EqualTo("user"));
            Assert.That(System.Text.Encoding.ASCII.GetString(ui.UserIdentityRequest.SecondaryField.Span), Is.EqualTo("pass"));
            Assert.That(System.Text.Encoding.ASCII.GetString(ui.UserIdentityResponse!.ServerResponse.Span), Is.EqualTo("abcd"));
        });
    }

    [Test]
    public void Encodes_every_user_information_sub_item_byte_for_byte()
    {
        var body = RequestWithUserInformation(AllSubItems);
        var rq = (AssociateRequestPdu)PduParser.Parse(PduType.AssociateRequest, body).Pdu!;
        var written = PduWriter.ToArray(rq);
        Assert.That(Hex(written.AsSpan(6)), Is.EqualTo(Hex(body)));
    }

    [Test]
    public void Skips_unknown_items_and_sub_items()
    {
        var unknownSub = Of("5F 00 0003 010203");
        var body = RequestWithUserInformation(Of(AllSubItems, unknownSub), Of("7F 00 0002 ABCD"));
        var result = PduParser.Parse(PduType.AssociateRequest, body);
        Assert.That(result.IsSuccess, Is.True, result.Detail);
        var rq = (AssociateRequestPdu)result.Pdu!;
        Assert.That(rq.PresentationContexts, Has.Count.EqualTo(1));
        Assert.That(rq.UserInformation.ImplementationVersionName, Is.EqualTo("V10"));
    }

    [Test]
    public void Reports_an_item_that_runs_past_the_PDU_as_invalid_parameter_value()
    {
        var body = RequestWithUserInformation(AllSubItems);
        body[68 + 2] = 0x7F; // application context item-length now claims far more than the PDU holds
        var result = PduParser.Parse(PduType.AssociateRequest, body);
        Assert.That(result.IsSuccess, Is.False);
        Assert.That(result.Error, Is.EqualTo(AbortReason.InvalidPduParameterValue));
    }

    [Test]
    public void Reports_a_PDV_item_length_below_two_as_invalid()
    {
        var values = new List<PresentationDataValue>();
        Assert.That(PduParser.TryParseDataTransfer(Convert.FromHexString("000000010100"), values, out var error), Is.False);
        Assert.That(error, Does.Contain("item-length"));
    }
}
