using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>A DICOM file to send, known from its header only.</summary>
public sealed record SendItem(string Path, string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, long Length);

/// <summary>A path that was not sent, and why.</summary>
public sealed record SkippedFile(string Path, string Reason, bool NamedOnCommandLine);

/// <summary>
/// What <c>edgecancer send</c> will do: the DICOM files found under the given paths (headers read only) and the
/// presentation contexts to propose, split into groups of at most 128 (PS3.8 §9.3.2.2: context IDs are odd numbers
/// 1–255), one association group each.
/// </summary>
public sealed class SendPlan
{
    /// <summary>The most presentation contexts one A-ASSOCIATE-RQ can carry.</summary>
    public const int MaxContexts = 128;

    public required IReadOnlyList<SendItem> Items { get; init; }
    public required IReadOnlyList<SkippedFile> Skipped { get; init; }
    public required IReadOnlyList<SendBatch> Batches { get; init; }

    /// <summary>Reads the header of every file under <paramref name="paths"/> (folders recursively, in name order).</summary>
    public static SendPlan Build(IEnumerable<string> paths, CancellationToken cancellationToken = default)
    {
        var items = new List<SendItem>();
        var skipped = new List<SkippedFile>();
        foreach (var root in paths)
        {
            if (Directory.Exists(root))
            {
                var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.None })
                    .Order(StringComparer.Ordinal);
                foreach (var f in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Inspect(f, false, items, skipped);
                }
            }
            else if (File.Exists(root))
            {
                Inspect(root, true, items, skipped);
            }
            else
            {
                skipped.Add(new SkippedFile(root, "no such file or folder", true));
            }
        }
        return new SendPlan { Items = items, Skipped = skipped, Batches = Group(items) };
    }

    private static void Inspect(string path, bool named, List<SendItem> items, List<SkippedFile> skipped)
    {
        try
        {
            var header = DicomFile.OpenHeader(path);
            if (!header.Dataset.TryGetString(DicomTags.SOPClassUID, out var cls) || cls.Length == 0)
            {
                skipped.Add(new SkippedFile(path, "no SOP Class UID (0008,0016); not a composite instance (a DICOMDIR?)", named));
                return;
            }
            if (!header.Dataset.TryGetString(DicomTags.SOPInstanceUID, out var inst) || inst.Length == 0)
            {
                skipped.Add(new SkippedFile(path, "no SOP Instance UID (0008,0018)", named));
                return;
            }
            items.Add(new SendItem(path, cls, inst, header.TransferSyntax.Uid.Value, new FileInfo(path).Length));
        }
        catch (DicomReadException ex)
        {
            skipped.Add(new SkippedFile(path, "not a DICOM file: " + ex.Message, named));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedFile(path, ex.Message, named));
        }
    }

    /// <summary>
    /// One context per (SOP class, transfer syntax) pair: the file's own syntax, plus Explicit and Implicit VR Little
    /// Endian when it is not encapsulated (we can re-encode those). Pairs are cut into groups of 128 contexts, and each
    /// file goes to the group holding its pair.
    /// </summary>
    public static IReadOnlyList<SendBatch> Group(IReadOnlyList<SendItem> items)
    {
        var pairs = items.Select(i => (i.SopClassUid, i.TransferSyntaxUid)).Distinct().ToList();
        var batches = new List<SendBatch>();
        for (int start = 0; start < pairs.Count; start += MaxContexts)
        {
            var chunk = pairs.Skip(start).Take(MaxContexts).ToList();
            var contexts = new List<PresentationContextRequest>(chunk.Count);
            for (int i = 0; i < chunk.Count; i++)
                contexts.Add(new PresentationContextRequest((byte)(2 * i + 1), chunk[i].SopClassUid, Proposal(chunk[i].TransferSyntaxUid)));
            var set = chunk.ToHashSet();
            batches.Add(new SendBatch(contexts, items.Where(i => set.Contains((i.SopClassUid, i.TransferSyntaxUid))).ToList()));
        }
        return batches;
    }

    private static string[] Proposal(string fileSyntax)
    {
        var ts = DicomTransferSyntax.Lookup(fileSyntax);
        string explicitLE = DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, implicitLE = DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value;
        if (ts is null || ts.IsEncapsulated) return [fileSyntax];
        return new[] { fileSyntax, explicitLE, implicitLE }.Distinct(StringComparer.Ordinal).ToArray();
    }
}

/// <summary>The contexts of one association group and the files sent on it.</summary>
public sealed record SendBatch(IReadOnlyList<PresentationContextRequest> Contexts, IReadOnlyList<SendItem> Items);
