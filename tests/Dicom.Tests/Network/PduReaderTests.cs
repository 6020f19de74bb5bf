using System.IO.Pipelines;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

[Category("UpperLayer")]
public class PduReaderTests
{
    private static async Task<PduReadResult> ReadAsync(byte[] input, bool complete, uint maxLength = 16384)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(input);
        if (complete) await pipe.Writer.CompleteAsync();
        using var reader = new PduReader(pipe.Reader, maxLength);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await reader.ReadAsync(timeout.Token);
    }

    [Test]
    public async Task Rejects_a_P_DATA_TF_claiming_2_GiB_from_its_header_alone()
    {
        // Only the 6-byte header is sent and the stream stays open: the reader must decide without the body.
        var result = await ReadAsync(Convert.FromHexString("040080000000"), complete: false);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Invalid));
        Assert.That(result.Error, Is.EqualTo(AbortReason.InvalidPduParameterValue));
    }

    [Test]
    public async Task Rejects_a_P_DATA_TF_one_byte_over_the_advertised_maximum()
    {
        var result = await ReadAsync(Convert.FromHexString("040000001001"), complete: false, maxLength: 4096);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Invalid));
        Assert.That(result.Detail, Does.Contain("4097").And.Contain("4096"));
    }

    [Test]
    public async Task Accepts_a_P_DATA_TF_of_exactly_the_advertised_maximum()
    {
        var pdu = new byte[6 + 4096];
        PduWriter.WriteSinglePdvHeader(pdu, 1, false, true, 4090);
        var result = await ReadAsync(pdu, complete: false, maxLength: 4096);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Pdu));
        Assert.That(((DataTransferPdu)result.Pdu!).Values.Single().Data.Length, Is.EqualTo(4090));
    }

    [Test]
    public async Task Rejects_an_association_request_over_the_size_cap()
    {
        var result = await ReadAsync(Convert.FromHexString("010000200000"), complete: false);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Invalid));
        Assert.That(result.Error, Is.EqualTo(AbortReason.InvalidPduParameterValue));
    }

    [Test]
    public async Task Reports_an_unknown_PDU_type_as_unrecognized()
    {
        var result = await ReadAsync("GET / HTTP/1.1\r\n"u8.ToArray(), complete: false);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Invalid));
        Assert.That(result.Error, Is.EqualTo(AbortReason.UnrecognizedPdu));
    }

    [Test]
    public async Task Reports_a_release_request_with_a_wrong_length_as_invalid()
    {
        var result = await ReadAsync(Convert.FromHexString("050000000005"), complete: false);
        Assert.That(result.Error, Is.EqualTo(AbortReason.InvalidPduParameterValue));
    }

    [Test]
    public async Task Reports_a_PDU_cut_short_by_the_end_of_the_stream_as_invalid()
    {
        var result = await ReadAsync(Convert.FromHexString("0500000000040000"), complete: true);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.Invalid));
        Assert.That(result.Detail, Does.Contain("8 of 10"));
    }

    [Test]
    public async Task Reports_end_of_stream_on_a_PDU_boundary()
    {
        var result = await ReadAsync([], complete: true);
        Assert.That(result.Status, Is.EqualTo(PduReadStatus.EndOfStream));
    }

    [Test]
    public async Task Reads_consecutive_PDUs_delivered_byte_by_byte()
    {
        var pipe = new Pipe();
        var bytes = PduWriter.ToArray(new ReleaseRequestPdu()).Concat(PduWriter.ToArray(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu))).ToArray();
        using var reader = new PduReader(pipe.Reader, 16384);
        var writing = Task.Run(async () =>
        {
            foreach (var b in bytes) { await pipe.Writer.WriteAsync(new[] { b }); await Task.Yield(); }
            await pipe.Writer.CompleteAsync();
        });
        var first = await reader.ReadAsync(CancellationToken.None);
        var second = await reader.ReadAsync(CancellationToken.None);
        var third = await reader.ReadAsync(CancellationToken.None);
        await writing;
        Assert.That(first.Pdu, Is.EqualTo(new ReleaseRequestPdu()));
        Assert.That(second.Pdu, Is.EqualTo(new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu)));
        Assert.That(third.Status, Is.EqualTo(PduReadStatus.EndOfStream));
    }
}
