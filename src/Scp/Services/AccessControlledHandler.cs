using EdgeCancer.Dicom.Network;
using EdgeCancer.Scp.Index;

namespace EdgeCancer.Scp.Services;

/// <summary>
/// Enforces the remote AE table's allowed operations per request (when calling AEs must be known): a request the
/// calling AE may not make is answered with 0x0124 "not authorized" and, for C-STORE, its data is discarded.
/// </summary>
public sealed class AccessControlledHandler(IDimseRequestHandler inner, Func<string, AeOperations?> allowedFor) : IDimseRequestHandler
{
    private static AeOperations Needed(DicomCommandField field) => field switch
    {
        DicomCommandField.CEchoRequest => AeOperations.Echo,
        DicomCommandField.CStoreRequest => AeOperations.Store,
        DicomCommandField.CFindRequest => AeOperations.Find,
        DicomCommandField.CMoveRequest => AeOperations.Move,
        DicomCommandField.CGetRequest => AeOperations.Get,
        _ => AeOperations.None,
    };

    private bool Allowed(DimseChannel channel, DicomRequest request)
    {
        var need = Needed(request.CommandField);
        if (need == AeOperations.None) return true;
        var allowed = allowedFor(channel.Association.Request.CallingAETitle.Trim());
        return allowed is null || allowed.Value.HasFlag(need);
    }

    /// <inheritdoc />
    public ValueTask<Stream?> OpenDataSinkAsync(DimseChannel channel, DicomRequest request, CancellationToken cancellationToken) =>
        Allowed(channel, request) ? inner.OpenDataSinkAsync(channel, request, cancellationToken) : ValueTask.FromResult<Stream?>(Stream.Null);

    /// <inheritdoc />
    public Task HandleAsync(DimseChannel channel, DicomRequest request, Stream? dataSink, CancellationToken cancellationToken)
    {
        if (Allowed(channel, request)) return inner.HandleAsync(channel, request, dataSink, cancellationToken);
        var ae = channel.Association.Request.CallingAETitle.Trim();
        return channel.SendAsync(new DicomResponse(request, DicomStatus.NotAuthorized, null, $"{ae} may not use {request.CommandField} here"), null, CancellationToken.None);
    }

    /// <inheritdoc />
    public ValueTask AbandonAsync(DicomRequest request, Stream? dataSink) => inner.AbandonAsync(request, dataSink);
}
