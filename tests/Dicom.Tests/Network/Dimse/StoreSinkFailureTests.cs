using System.Net;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network.Dimse;

/// <summary>A C-STORE whose data cannot be written (disk full) is refused with 0xA700 and the association keeps serving.</summary>
[TestFixture, Category("Dimse")]
public sealed class StoreSinkFailureTests
{
    private sealed class FullDiskStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => 0;
        public override long Position { get => 0; set { } }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) { }
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => throw new IOException("No space left on device");
    }

    private sealed class FullDiskStore : IStoreHandler
    {
        public int Abandoned;
        public ValueTask<(IStoreOperation?, DicomOutcome)> BeginAsync(DicomRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<(IStoreOperation?, DicomOutcome)>((new Op(this), default));

        private sealed class Op(FullDiskStore owner) : IStoreOperation
        {
            public Stream Data { get; } = new FullDiskStream();
            public ValueTask<DicomOutcome> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult(DicomOutcome.Success);
            public ValueTask AbandonAsync() { Interlocked.Increment(ref owner.Abandoned); return ValueTask.CompletedTask; }
        }
    }

    [Test]
    public async Task A_store_whose_data_cannot_be_written_gets_A700_and_the_association_still_answers_echo()
    {
        var ct = DicomUids.CTImageStorage.Value;
        var store = new FullDiskStore();
        await using var server = new DicomServer(new IPEndPoint(IPAddress.Loopback, 0), () => new AssociationPolicy
        {
            AETitle = "SCP",
            AbstractSyntaxes = new Dictionary<string, AbstractSyntaxSupport>
            {
                ["1.2.840.10008.1.1"] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value]),
                [ct] = new([DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value]),
            },
        }, () => new DicomServiceDispatcher(store, null, null));
        server.Start();
        await using var client = await DicomClient.ConnectAsync("127.0.0.1", server.LocalEndPoint.Port, "SCU", "SCP",
            [DicomClient.Propose(1, "1.2.840.10008.1.1"), DicomClient.Propose(3, ct)]);
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, ct);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.3.4");
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "P");
        var rsp = await client.StoreAsync(ds).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(rsp.Status, Is.EqualTo(DicomStatus.OutOfResources));
        Assert.That(rsp.ErrorComment, Does.Contain("No space left"));
        Assert.That(store.Abandoned, Is.EqualTo(1), "the partial write is discarded");
        var echo = await client.EchoAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(echo.Status, Is.EqualTo(DicomStatus.Success));
        await client.ReleaseAsync();
    }
}
