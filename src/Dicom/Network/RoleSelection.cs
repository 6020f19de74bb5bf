namespace EdgeCancer.Dicom.Network;

/// <summary>
/// SCP/SCU Role Selection sub-item (54H, PS3.7 Annex D.3.3.4, Table D.3-9). Both flags describe the roles of the
/// association-requestor: in a request they are proposals, in an accept they say which proposals were accepted.
/// </summary>
/// <param name="SopClassUid">The SOP class the roles apply to.</param>
/// <param name="ScuRole">Requestor may act as SCU.</param>
/// <param name="ScpRole">Requestor may act as SCP.</param>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);
