using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Sends a stored file as a C-STORE on a channel (SCU C-STORE, C-MOVE sub-operations on a new association, C-GET
/// sub-operations on the requestor's association). The dataset's bytes are streamed unchanged when a presentation
/// context was accepted with the file's transfer syntax; an uncompressed dataset is otherwise re-encoded.
/// </summary>
public static class DimseStoreSender
{
    /// <summary>Sends <paramref name="path"/>; returns the peer's response.</summary>
    public static async Task<DicomResponse> SendFileAsync(DimseChannel channel, string path, string? moveOriginatorAE = null, ushort? moveOriginatorMessageId = null, CancellationToken cancellationToken = default)
    {
        var header = DicomFile.OpenHeader(path);
        var sopClass = header.Dataset.GetString(DicomTags.SOPClassUID);
        var sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID);
        var fileSyntax = header.TransferSyntax;
        var rq = DicomRequest.CStore(sopClass, sopInstance, channel.NextMessageId());
        if (moveOriginatorAE is not null)
        {
            rq.MoveOriginatorAETitle = moveOriginatorAE;
            rq.MoveOriginatorMessageID = moveOriginatorMessageId;
        }
        var same = channel.FindPresentationContext(sopClass, fileSyntax.Uid.Value);
        if (same is { } pc && channel.TransferSyntaxOf(pc).Uid == fileSyntax.Uid && !header.HadNoMeta)
        {
            rq.PresentationContextId = pc;
            await using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            fs.Position = header.DatasetOffset;
            return await channel.RequestSingleAsync(rq, fs, cancellationToken).ConfigureAwait(false);
        }
        var other = channel.FindPresentationContext(sopClass)
            ?? throw new DicomNetworkException($"The peer accepted no presentation context for {new DicomUid(sopClass).Name}.");
        var target = channel.TransferSyntaxOf(other);
        if (fileSyntax.IsEncapsulated || target.IsEncapsulated)
            throw new DicomNetworkException($"The peer accepted {target.Name} for {new DicomUid(sopClass).Name} but the file is {fileSyntax.Name}; transcoding between compressed syntaxes is not done.");
        rq.PresentationContextId = other;
        rq.Dataset = DicomFile.Open(path).Dataset;
        return await channel.RequestSingleAsync(rq, null, cancellationToken).ConfigureAwait(false);
    }
}
