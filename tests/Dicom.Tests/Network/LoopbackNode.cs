using System.Collections.Concurrent;
using System.Net;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

/// <summary>Our acceptor on a free loopback port, for tests; disposing stops it.</summary>
internal sealed class LoopbackNode : IAsyncDisposable
{
    public const string AETitle = "EDGECANCER";
    public const string Verification = "1.2.840.10008.1.1";
    public const string CTImage = "1.2.840.10008.5.1.4.1.1.2";
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";
    public const string ExplicitVRLittleEndian = "1.2.840.10008.1.2.1";

    private readonly AssociationListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public LoopbackNode(Func<Association, CancellationToken, Task> handler, AssociationOptions? options = null, uint maxPduLength = 131072)
    {
        Policy = new AssociationPolicy
        {
            AETitle = AETitle,
            MaxPduLength = maxPduLength,
            AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport>
            {
                [Verification] = new([ExplicitVRLittleEndian, ImplicitVRLittleEndian]),
                [CTImage] = new([ExplicitVRLittleEndian, ImplicitVRLittleEndian]),
            },
        };
        options ??= new AssociationOptions();
        options = options with { Trace = t => Traces.Enqueue(t) };
        _listener = new AssociationListener(new IPEndPoint(IPAddress.Loopback, 0),
            (rq, others) => AssociationNegotiator.Negotiate(rq, Policy, others),
            handler, options, e => Errors.Enqueue(e));
        _running = _listener.RunAsync(_stop.Token);
    }

    public AssociationPolicy Policy { get; }

    public int Port => _listener.LocalEndPoint.Port;

    public ConcurrentQueue<AssociationTrace> Traces { get; } = new();

    public ConcurrentQueue<Exception> Errors { get; } = new();

    public static AssociateRequestPdu Request(uint maxPduLength, string called = AETitle) =>
        new(called, "TESTSCU",
            [new PresentationContextRequest(1, Verification, [ImplicitVRLittleEndian]), new PresentationContextRequest(3, CTImage, [ImplicitVRLittleEndian, ExplicitVRLittleEndian])],
            new UserInformation { MaxLength = maxPduLength, ImplementationClassUid = Implementation.ClassUid, ImplementationVersionName = "TEST" });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener.DisposeAsync();
        await _running;
        _stop.Dispose();
    }
}
