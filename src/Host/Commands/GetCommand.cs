using System.CommandLine;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// <c>edgecancer get HOST PORT --out DIR -k KEY=VALUE...</c>: C-GET (PS3.4 C.4.3) as getscu does; the instances come
/// back as C-STORE requests on the same association (SCP role negotiated, PS3.7 D.3.3.4) and are written to DIR.
/// </summary>
public static class GetCommand
{
    public static Command Create()
    {
        var scu = new ScuOptions();
        var query = new QueryKeys();
        var output = new Option<string>("--out", "-od") { Description = "folder the retrieved instances are written to (created)", DefaultValueFactory = _ => "." };
        var cmd = new Command("get", "Retrieve instances from a DICOM peer with C-GET (like getscu)") { output };
        scu.AddTo(cmd);
        query.AddTo(cmd);
        cmd.SetAction(async (parse, cancellationToken) =>
        {
            var (identifier, error) = query.Identifier(parse);
            if (identifier is null)
            {
                ScuOutput.Error("get", error!);
                return ScuExitCodes.Usage;
            }
            var folder = parse.GetValue(output)!;
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ScuOutput.Error("get", $"cannot create --out {folder}: {ex.Message}");
                return ScuExitCodes.Usage;
            }
            var endpoint = scu.Read(parse);
            var sopClass = query.Model(parse).Get();
            var contexts = new List<PresentationContextRequest> { DicomClient.Propose(1, sopClass) };
            contexts.AddRange(RetrieveContexts.Storage(firstId: 3, SendPlan.MaxContexts - 1));
            var roles = contexts.Skip(1).Select(c => c.AbstractSyntax).Distinct().Select(c => new RoleSelection(c, ScuRole: false, ScpRole: true)).ToList();
            var handler = new GetStoreHandler(folder, endpoint.CalledAE)
            {
                Written = path => Console.Out.WriteLine($"Received {Path.GetFileName(path)}"),
            };
            var connection = await endpoint.ConnectAsync(contexts, handler, roles, cancellationToken).ConfigureAwait(false);
            if (connection.Client is not { } client)
            {
                ScuOutput.Error("get", connection.Error!);
                return connection.ExitCode;
            }
            await using var _ = client;
            DicomResponse? final = null;
            try
            {
                await foreach (var rsp in client.GetAsync(sopClass, identifier, cancellationToken).ConfigureAwait(false))
                {
                    if (rsp.Status.IsPending) Console.Out.WriteLine($"Pending: {MoveCommand.Counts(rsp)}");
                    else final = rsp;
                }
            }
            catch (DicomNetworkException ex)
            {
                return ScuOutput.Lost("get", ex);
            }
            await ScuOutput.ReleaseQuietlyAsync(client, endpoint.Timeout).ConfigureAwait(false);
            Console.Out.WriteLine($"C-GET {ScuOutput.Describe(final!)}: {MoveCommand.Counts(final!)}; {handler.Stored} file(s) written to {folder}" +
                (handler.Failed > 0 ? $", {handler.Failed} refused" : ""));
            return final!.Status.IsSuccess && (final.Failed ?? 0) == 0 && handler.Failed == 0 ? ScuExitCodes.Success : ScuExitCodes.FailureStatus;
        });
        return cmd;
    }
}

/// <summary>
/// The storage contexts a retrieving SCU proposes for C-GET within one A-ASSOCIATE-RQ (at most 128 contexts): common
/// image classes once more for each compressed syntax (the SCP sends a file in its stored syntax when it can), then
/// as many storage classes as fit with Explicit and Implicit VR Little Endian, common ones first.
/// </summary>
public static class RetrieveContexts
{
    private static readonly string[] ImageClasses =
    [
        "1.2.840.10008.5.1.4.1.1.2",     // CT Image
        "1.2.840.10008.5.1.4.1.1.4",     // MR Image
        "1.2.840.10008.5.1.4.1.1.7",     // Secondary Capture
        "1.2.840.10008.5.1.4.1.1.6.1",   // Ultrasound
        "1.2.840.10008.5.1.4.1.1.3.1",   // Ultrasound Multi-frame
        "1.2.840.10008.5.1.4.1.1.1",     // CR
        "1.2.840.10008.5.1.4.1.1.1.1",   // DX for presentation
        "1.2.840.10008.5.1.4.1.1.1.2",   // MG for presentation
    ];

    private static readonly string[] Common =
    [
        .. ImageClasses,
        "1.2.840.10008.5.1.4.1.1.2.1",   // Enhanced CT
        "1.2.840.10008.5.1.4.1.1.4.1",   // Enhanced MR
        "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4", // multi-frame SC
        "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.88.34", // SR
        "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection
        "1.2.840.10008.5.1.4.1.1.88.67", // X-Ray Radiation Dose SR
        "1.2.840.10008.5.1.4.1.1.66.4",  // Segmentation
        "1.2.840.10008.5.1.4.1.1.11.1",  // Grayscale Softcopy Presentation State
        "1.2.840.10008.5.1.4.1.1.20",    // NM
        "1.2.840.10008.5.1.4.1.1.128",   // PET
        "1.2.840.10008.5.1.4.1.1.12.1",  // XA
        "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.481.5", // RT
        "1.2.840.10008.5.1.4.1.1.104.1", // Encapsulated PDF
        "1.2.840.10008.5.1.4.1.1.66",    // Raw Data
    ];

    private static readonly DicomTransferSyntax[] Compressed =
    [
        DicomTransferSyntax.JPEGLosslessSV1, DicomTransferSyntax.JPEGBaseline8Bit, DicomTransferSyntax.JPEGLSLossless,
        DicomTransferSyntax.JPEG2000Lossless, DicomTransferSyntax.JPEG2000, DicomTransferSyntax.RLELossless,
    ];

    /// <summary>Up to <paramref name="max"/> storage contexts with odd IDs from <paramref name="firstId"/>.</summary>
    public static IReadOnlyList<PresentationContextRequest> Storage(int firstId, int max)
    {
        var result = new List<PresentationContextRequest>(max);
        int id = firstId;
        void Add(string sopClass, params string[] syntaxes)
        {
            if (result.Count < max && id <= 255)
            {
                result.Add(new PresentationContextRequest((byte)id, sopClass, syntaxes));
                id += 2;
            }
        }
        var uncompressedClasses = Common.Concat(DicomStorageSopClasses.All.Where(u => u.Entry is not { IsRetired: true }).Select(u => u.Value)).Distinct(StringComparer.Ordinal);
        foreach (var cls in uncompressedClasses) Add(cls, DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value);
        // Compressed contexts take the places of the rarest classes at the end of the uncompressed list.
        int compressedCount = ImageClasses.Length * Compressed.Length;
        if (result.Count + compressedCount > max) result.RemoveRange(max - compressedCount, result.Count - (max - compressedCount));
        id = firstId + 2 * result.Count;
        foreach (var cls in ImageClasses)
            foreach (var ts in Compressed) Add(cls, ts.Uid.Value);
        return result;
    }
}
