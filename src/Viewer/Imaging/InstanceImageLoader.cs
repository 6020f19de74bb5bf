using EdgeCancer.Dicom;
using EdgeCancer.Dicom.Imaging;
using EdgeCancer.Dicom.Imaging.Codecs;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Scp.Index;
using EdgeCancer.Scp.Storage;
using Microsoft.AspNetCore.Http;

namespace EdgeCancer.Viewer.Imaging;

/// <summary>An opened archive instance, or the problem that stops it from being shown.</summary>
public sealed record LoadedInstance(IndexedInstance Index, DicomFile? File, IResult? Problem);

/// <summary>Opens archived instances for display and says clearly why one cannot be rendered.</summary>
public sealed class InstanceImageLoader(IArchiveIndex index, FileStore store)
{
    public async Task<LoadedInstance?> OpenAsync(string sopInstanceUid, CancellationToken ct)
    {
        var found = await index.FindInstanceAsync(sopInstanceUid, ct).ConfigureAwait(false);
        if (found is null) return null;
        return await OpenAsync(found, ct).ConfigureAwait(false);
    }

    /// <summary>Opens an instance already looked up in the index.</summary>
    public async Task<LoadedInstance> OpenAsync(IndexedInstance found, CancellationToken ct)
    {
        var path = store.GetFullPath(found.FilePath);
        try
        {
            var file = await Task.Run(() => DicomFile.Open(path), ct).ConfigureAwait(false);
            return new LoadedInstance(found, file, null);
        }
        catch (DicomReadException ex)
        {
            return new LoadedInstance(found, null, Unprocessable("Unreadable instance", $"The archived file cannot be read: {ex.Reason}"));
        }
        catch (IOException ex)
        {
            return new LoadedInstance(found, null, Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Archive file missing",
                detail: $"The archived file of this instance cannot be opened ({ex.Message}); check the store's disk."));
        }
    }

    /// <summary>A renderer for the instance, or a 422 problem: no pixel data, or no decoder for its transfer syntax.</summary>
    public static (DicomImage? Image, IResult? Problem) Renderer(DicomFile file)
    {
        if (!file.Dataset.Contains(DicomTags.PixelData))
            return (null, Unprocessable("Not an image", "This instance has no Pixel Data (7FE0,0010); it is e.g. a structured report."));
        DicomImage image;
        try
        {
            image = new DicomImage(file);
        }
        catch (DicomDataException ex)
        {
            return (null, Unprocessable("Invalid pixel module", ex.Message));
        }
        if (image.PixelData.IsEncapsulated && !DicomCodecRegistry.Default.TryGetDecoder(image.PixelData.TransferSyntax, out _))
            return (null, Unprocessable("Cannot decode", DicomCodecRegistry.NoDecoderMessage(image.PixelData.TransferSyntax)));
        return (image, null);
    }

    public static IResult Unprocessable(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail);
}
