using System.Collections.Concurrent;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Host.Commands;

/// <summary>
/// Receives the C-STORE sub-operations of a C-GET (PS3.4 C.4.3.3) on our side of the association: each data set is
/// streamed as it arrives into <c>DIR/&lt;SOPInstanceUID&gt;.dcm.part</c> behind a Part 10 header, renamed to
/// <c>.dcm</c> when complete, and answered with Success; a file that cannot be written is answered 0xA700.
/// </summary>
public sealed class GetStoreHandler(string folder, string sourceAETitle) : IDimseRequestHandler
{
    private readonly ConcurrentDictionary<ushort, string> _refusals = new();
    private int _stored;
    private int _failed;

    /// <summary>Instances written.</summary>
    public int Stored => Volatile.Read(ref _stored);

    /// <summary>Instances we answered with a failure.</summary>
    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Called after each instance is written, with its path.</summary>
    public Action<string>? Written { get; init; }

    public ValueTask<Stream?> OpenDataSinkAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken)
    {
        if (request.CommandField != DicomCommandField.CStoreRequest) return ValueTask.FromResult<Stream?>(null);
        var uid = request.AffectedSOPInstanceUID ?? "";
        // The UID becomes a file name: only a valid UID (digits and dots, PS3.5 §9.1) may, so "../x" cannot escape DIR.
        if (!DicomUid.IsValid(uid))
        {
            _refusals[request.MessageID] = $"Affected SOP Instance UID \"{uid}\" is not a valid UID";
            return ValueTask.FromResult<Stream?>(Stream.Null);
        }
        var path = Path.Combine(folder, uid + ".dcm.part");
        FileStream? fs = null;
        try
        {
            fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            Part10Header.Write(fs, request.AffectedSOPClassUID ?? "", uid, channel.TransferSyntaxOf(request.PresentationContextId), sourceAETitle);
            return ValueTask.FromResult<Stream?>(fs);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            fs?.Dispose();
            _refusals[request.MessageID] = "Cannot write " + path + ": " + ex.Message;
            return ValueTask.FromResult<Stream?>(Stream.Null);
        }
    }

    public async Task HandleAsync(DimseChannel channel, DicomRequest request, Stream? dataSink, CancellationToken cancellationToken)
    {
        if (request.CommandField == DicomCommandField.CEchoRequest)
        {
            await channel.SendAsync(new DicomResponse(request, DicomStatus.Success), null, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (request.CommandField != DicomCommandField.CStoreRequest)
        {
            await channel.SendAsync(new DicomResponse(request, DicomStatus.UnrecognizedOperation, null, "Only C-STORE is accepted on a C-GET association"), null, cancellationToken).ConfigureAwait(false);
            return;
        }
        DicomResponse response;
        if (_refusals.TryRemove(request.MessageID, out var why) || dataSink is not FileStream fs)
        {
            Interlocked.Increment(ref _failed);
            response = new DicomResponse(request, why is null ? DicomStatus.UnableToProcess : DicomStatus.OutOfResources, null, why ?? "No data set received");
        }
        else
        {
            var part = fs.Name;
            var final = part[..^".part".Length];
            try
            {
                await fs.FlushAsync(cancellationToken).ConfigureAwait(false);
                await fs.DisposeAsync().ConfigureAwait(false);
                File.Move(part, final, overwrite: true);
                Interlocked.Increment(ref _stored);
                Written?.Invoke(final);
                response = new DicomResponse(request, DicomStatus.Success);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref _failed);
                TryDelete(part);
                response = new DicomResponse(request, DicomStatus.OutOfResources, null, "Cannot write " + final + ": " + ex.Message);
            }
        }
        await channel.SendAsync(response, null, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask AbandonAsync(DicomRequest request, Stream? dataSink)
    {
        _refusals.TryRemove(request.MessageID, out _);
        if (dataSink is FileStream fs)
        {
            await fs.DisposeAsync().ConfigureAwait(false);
            TryDelete(fs.Name);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }
}

/// <summary>Writes the 128-byte preamble, "DICM" and the File Meta Information group (PS3.10 §7.1) before a raw data set.</summary>
public static class Part10Header
{
    public static void Write(Stream stream, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax, string? sourceAETitle)
    {
        var meta = new DicomDataset();
        meta.AddOrUpdateBytes(DicomTags.FileMetaInformationVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        meta.AddOrUpdate(DicomTags.MediaStorageSOPClassUID, DicomVR.UI, sopClassUid);
        meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, sopInstanceUid);
        meta.AddOrUpdate(DicomTags.TransferSyntaxUID, DicomVR.UI, syntax.Uid.Value);
        meta.AddOrUpdate(DicomTags.ImplementationClassUID, DicomVR.UI, DicomFile.ImplementationClassUid);
        meta.AddOrUpdate(DicomTags.ImplementationVersionName, DicomVR.SH, DicomFile.ImplementationVersionName);
        if (!string.IsNullOrWhiteSpace(sourceAETitle)) meta.AddOrUpdate(DicomTags.SourceApplicationEntityTitle, DicomVR.AE, sourceAETitle);
        using var buffer = new MemoryStream(256);
        buffer.Write(new byte[128]);
        buffer.Write("DICM"u8);
        // The meta is always Explicit VR Little Endian, led by its group length (PS3.10 §7.1).
        var writer = new DicomWriter(buffer, DicomTransferSyntax.ExplicitVRLittleEndian);
        var length = new DicomDataset();
        length.AddOrUpdate(DicomTags.FileMetaInformationGroupLength, DicomVR.UL, (uint)writer.Measure(meta));
        writer.Write(length);
        writer.Write(meta);
        buffer.Position = 0;
        buffer.CopyTo(stream);
    }
}
