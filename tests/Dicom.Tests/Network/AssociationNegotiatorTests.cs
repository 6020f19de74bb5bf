using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

[Category("UpperLayer")]
public class AssociationNegotiatorTests
{
    private const string Verification = "1.2.840.10008.1.1";
    private const string CTImage = "1.2.840.10008.5.1.4.1.1.2";
    private const string Implicit = "1.2.840.10008.1.2";
    private const string Explicit = "1.2.840.10008.1.2.1";
    private const string JpegLossless = "1.2.840.10008.1.2.4.70";

    private static readonly AssociationPolicy Policy = new()
    {
        AETitle = "EDGECANCER",
        RequireKnownCallingAE = true,
        KnownCallingAETitles = new HashSet<string> { "CT01" },
        MaxAssociations = 4,
        MaxPduLength = 65536,
        AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport>
        {
            [Verification] = new([Implicit]),
            [CTImage] = new([JpegLossless, Explicit, Implicit]) { AcceptRequestorAsScp = true },
        },
    };

    private static AssociateRequestPdu Request(string called = "EDGECANCER", string calling = "CT01", params PresentationContextRequest[] contexts) =>
        new(called, calling, contexts.Length == 0 ? [new PresentationContextRequest(1, Verification, [Implicit])] : contexts,
            new UserInformation { MaxLength = 16384, ImplementationClassUid = "1.2.3" });

    private static void AssertRejected(AssociationDecision decision, AssociateRejectResult result, AssociateRejectSource source, byte reason)
    {
        Assert.That(decision.IsAccepted, Is.False);
        Assert.That(decision.Reject, Is.EqualTo(new AssociateRejectPdu(result, source, reason)));
    }

    [Test]
    public void Rejects_a_called_AE_title_that_is_not_ours_permanently_with_reason_7()
    {
        var decision = AssociationNegotiator.Negotiate(Request(called: "OTHER"), Policy, 0);
        AssertRejected(decision, AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 7);
        Assert.That(decision.Reject!.Description, Does.Contain("called-AE-title-not-recognized"));
    }

    [Test]
    public void Rejects_association_from_unknown_calling_AE_permanently_with_reason_3()
    {
        AssertRejected(AssociationNegotiator.Negotiate(Request(calling: "INTRUDER"), Policy, 0), AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 3);
    }

    [Test]
    public void Accepts_any_calling_AE_when_the_remote_list_does_not_apply()
    {
        var decision = AssociationNegotiator.Negotiate(Request(calling: "ANYONE"), Policy with { RequireKnownCallingAE = false }, 0);
        Assert.That(decision.IsAccepted, Is.True);
    }

    [Test]
    public void Rejects_transiently_with_local_limit_exceeded_when_at_the_association_limit()
    {
        Assert.That(AssociationNegotiator.Negotiate(Request(), Policy, 3).IsAccepted, Is.True);
        AssertRejected(AssociationNegotiator.Negotiate(Request(), Policy, 4), AssociateRejectResult.Transient, AssociateRejectSource.ServiceProviderPresentation, 2);
    }

    [Test]
    public void Rejects_a_foreign_application_context_with_reason_2_from_the_service_user()
    {
        var rq = Request() with { ApplicationContextName = "1.2.3.4" };
        AssertRejected(AssociationNegotiator.Negotiate(rq, Policy, 0), AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, 2);
    }

    [Test]
    public void Rejects_a_protocol_version_without_bit_0_with_reason_2_from_the_ACSE_provider()
    {
        var rq = Request() with { ProtocolVersion = 2 };
        AssertRejected(AssociationNegotiator.Negotiate(rq, Policy, 0), AssociateRejectResult.Permanent, AssociateRejectSource.ServiceProviderAcse, 2);
        Assert.That(AssociationNegotiator.Negotiate(Request() with { ProtocolVersion = 3 }, Policy, 0).IsAccepted, Is.True, "only bit 0 is tested");
    }

    [Test]
    public void Picks_the_first_transfer_syntax_of_our_preference_list_that_the_peer_proposed()
    {
        var decision = AssociationNegotiator.Negotiate(Request(contexts: new PresentationContextRequest(3, CTImage, [Implicit, Explicit, JpegLossless])), Policy, 0);
        Assert.That(decision.Accept!.PresentationContexts.Single(), Is.EqualTo(new PresentationContextResult(3, PresentationContextResultReason.Acceptance, JpegLossless)));

        decision = AssociationNegotiator.Negotiate(Request(contexts: new PresentationContextRequest(5, CTImage, [Implicit, Explicit])), Policy, 0);
        Assert.That(decision.Accept!.PresentationContexts.Single().TransferSyntax, Is.EqualTo(Explicit));
    }

    [Test]
    public void Answers_an_unknown_abstract_syntax_with_result_3_and_a_missing_transfer_syntax_with_result_4()
    {
        var decision = AssociationNegotiator.Negotiate(Request(contexts: [
            new PresentationContextRequest(1, "1.2.840.10008.5.1.4.1.1.481.1", [Implicit]),
            new PresentationContextRequest(3, Verification, [Explicit]),
            new PresentationContextRequest(5, Verification, [Implicit]),
        ]), Policy, 0);
        Assert.That(decision.Accept!.PresentationContexts.Select(pc => (pc.Id, pc.Result)), Is.EqualTo(new[]
        {
            ((byte)1, PresentationContextResultReason.AbstractSyntaxNotSupported),
            ((byte)3, PresentationContextResultReason.TransferSyntaxesNotSupported),
            ((byte)5, PresentationContextResultReason.Acceptance),
        }));
    }

    [Test]
    public void Answers_role_selection_granting_only_proposed_and_supported_roles()
    {
        var rq = Request(contexts: [new PresentationContextRequest(1, CTImage, [Implicit]), new PresentationContextRequest(3, Verification, [Implicit])]) is var r
            ? r with { UserInformation = r.UserInformation with { RoleSelections = [new RoleSelection(CTImage, true, true), new RoleSelection(Verification, true, true), new RoleSelection("1.2.9", true, true)] } }
            : null!;
        var roles = AssociationNegotiator.Negotiate(rq, Policy, 0).Accept!.UserInformation.RoleSelections;
        Assert.That(roles, Is.EqualTo(new[] { new RoleSelection(CTImage, true, true), new RoleSelection(Verification, true, false) }));
    }

    [Test]
    public void Advertises_our_maximum_length_and_implementation_identity()
    {
        var ui = AssociationNegotiator.Negotiate(Request(), Policy, 0).Accept!.UserInformation;
        Assert.That((ui.MaxLength, ui.ImplementationClassUid, ui.ImplementationVersionName), Is.EqualTo((65536u, Implementation.ClassUid, Implementation.VersionName)));
        Assert.That(DicomUid.IsValid(ui.ImplementationClassUid), Is.True);
    }
}
