using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Scp.Services;

/// <summary>What the node offers at association time: SOP classes and our transfer syntax preferences.</summary>
public static class StoragePolicy
{
    /// <summary>Uncompressed first (Explicit LE preferred), then every compressed syntax we store intact.</summary>
    public static readonly IReadOnlyList<string> StorageTransferSyntaxes =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value,
        .. DicomTransferSyntax.All.Where(t => t.IsEncapsulated).Select(t => t.Uid.Value),
    ];

    /// <summary>Transfer syntaxes for Verification and Query/Retrieve.</summary>
    public static readonly IReadOnlyList<string> CommandTransferSyntaxes =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value,
    ];

    /// <summary>Query/Retrieve SOP classes: Patient Root and Study Root FIND, MOVE, GET (PS3.4 C.6).</summary>
    public static readonly IReadOnlyList<string> QueryRetrieveClasses =
    [
        "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3",
        "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3",
    ];

    /// <summary>Builds the association policy.</summary>
    public static AssociationPolicy Build(DicomNodeOptions options, IReadOnlySet<string> knownCallingAEs)
    {
        var syntaxes = new Dictionary<string, AbstractSyntaxSupport>(StringComparer.Ordinal)
        {
            ["1.2.840.10008.1.1"] = new(CommandTransferSyntaxes),
        };
        foreach (var cls in QueryRetrieveClasses) syntaxes[cls] = new(CommandTransferSyntaxes);
        foreach (var cls in DicomStorageSopClasses.All) syntaxes[cls.Value] = new(StorageTransferSyntaxes) { AcceptRequestorAsScp = true };
        return new AssociationPolicy
        {
            AETitle = options.AETitle,
            RequireKnownCallingAE = options.MustKnowCallingAE,
            KnownCallingAETitles = knownCallingAEs,
            MaxAssociations = options.MaxAssociations,
            AbstractSyntaxes = syntaxes,
            MaxPduLength = (uint)options.MaxPduLength,
            ImplementationClassUid = EdgeCancer.Dicom.IO.DicomFile.ImplementationClassUid,
            ImplementationVersionName = EdgeCancer.Dicom.IO.DicomFile.ImplementationVersionName,
        };
    }
}
