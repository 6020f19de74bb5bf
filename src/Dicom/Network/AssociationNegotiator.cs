namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Association negotiation as a pure function: an A-ASSOCIATE-RQ and a policy give an A-ASSOCIATE-AC or -RJ with the
/// reject codes of PS3.8 Table 9-21 and the presentation context results of Table 9-18.
/// </summary>
public static class AssociationNegotiator
{
    /// <summary>Decides on <paramref name="request"/>.</summary>
    /// <param name="request">The received A-ASSOCIATE-RQ.</param>
    /// <param name="policy">What we allow.</param>
    /// <param name="currentAssociations">Associations already open, not counting this one.</param>
    public static AssociationDecision Negotiate(AssociateRequestPdu request, AssociationPolicy policy, int currentAssociations)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);

        // PS3.8 §9.3.2: a version-1 receiver only tests that bit 0 is set.
        if ((request.ProtocolVersion & 1) == 0)
            return AssociationDecision.Rejected(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceProviderAcse, AssociateRejectPdu.AcseProtocolVersionNotSupported);
        if (request.ApplicationContextName != AssociateRequestPdu.DicomApplicationContextName)
            return AssociationDecision.Rejected(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserApplicationContextNameNotSupported);
        // AE titles: leading and trailing spaces are not significant, case is (PS3.8 Table 9-11, PS3.5 AE VR).
        if (!string.Equals(request.CalledAETitle.Trim(), policy.AETitle.Trim(), StringComparison.Ordinal))
            return AssociationDecision.Rejected(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCalledAETitleNotRecognized);
        if (policy.RequireKnownCallingAE && !policy.KnownCallingAETitles.Contains(request.CallingAETitle.Trim()))
            return AssociationDecision.Rejected(AssociateRejectResult.Permanent, AssociateRejectSource.ServiceUser, AssociateRejectPdu.UserCallingAETitleNotRecognized);
        if (currentAssociations >= policy.MaxAssociations)
            return AssociationDecision.Rejected(AssociateRejectResult.Transient, AssociateRejectSource.ServiceProviderPresentation, AssociateRejectPdu.PresentationLocalLimitExceeded);

        var results = new List<PresentationContextResult>(request.PresentationContexts.Count);
        var acceptedSyntaxes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pc in request.PresentationContexts)
        {
            string echo = pc.TransferSyntaxes.Count > 0 ? pc.TransferSyntaxes[0] : DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value;
            if (!policy.AbstractSyntaxes.TryGetValue(pc.AbstractSyntax, out var support))
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultReason.AbstractSyntaxNotSupported, echo));
                continue;
            }
            // Our preference order decides, not the requestor's (PS3.8 §7.1.1.13 leaves the choice to the acceptor).
            string? chosen = support.TransferSyntaxes.FirstOrDefault(ts => pc.TransferSyntaxes.Contains(ts, StringComparer.Ordinal));
            if (chosen is null)
            {
                results.Add(new PresentationContextResult(pc.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, echo));
                continue;
            }
            results.Add(new PresentationContextResult(pc.Id, PresentationContextResultReason.Acceptance, chosen));
            acceptedSyntaxes.Add(pc.AbstractSyntax);
        }

        // PS3.7 Annex D.3.3.4: answer each proposed role selection for an accepted SOP class; a role may only be
        // granted when it was proposed.
        var roles = new List<RoleSelection>();
        foreach (var proposed in request.UserInformation.RoleSelections)
        {
            if (!acceptedSyntaxes.Contains(proposed.SopClassUid) || roles.Exists(r => r.SopClassUid == proposed.SopClassUid)) continue;
            var support = policy.AbstractSyntaxes[proposed.SopClassUid];
            roles.Add(new RoleSelection(proposed.SopClassUid, proposed.ScuRole && support.AcceptRequestorAsScu, proposed.ScpRole && support.AcceptRequestorAsScp));
        }

        var userInformation = new UserInformation
        {
            MaxLength = policy.MaxPduLength,
            ImplementationClassUid = policy.ImplementationClassUid,
            ImplementationVersionName = policy.ImplementationVersionName,
            // We perform one operation at a time; answer a proposed window with 1/1 (PS3.7 Annex D.3.3.3).
            AsynchronousOperationsWindow = request.UserInformation.AsynchronousOperationsWindow is null ? null : new AsynchronousOperationsWindow(1, 1),
            RoleSelections = roles,
        };
        return AssociationDecision.Accepted(new AssociateAcceptPdu(request.CalledAETitle, request.CallingAETitle, results, userInformation));
    }
}
