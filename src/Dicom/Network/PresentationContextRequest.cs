namespace EdgeCancer.Dicom.Network;

/// <summary>A presentation context item of an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2, Table 9-13).</summary>
/// <param name="Id">Odd presentation context ID, 1–255.</param>
/// <param name="AbstractSyntax">Abstract syntax (SOP class) UID (Table 9-14).</param>
/// <param name="TransferSyntaxes">Proposed transfer syntax UIDs, in the requestor's order (Table 9-15).</param>
public sealed record PresentationContextRequest(byte Id, string AbstractSyntax, IReadOnlyList<string> TransferSyntaxes);
