using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using EdgeCancer.Dicom.Network;

namespace EdgeCancer.Dicom.Tests.Network;

/// <summary>DCMTK's echoscu against our acceptor. There is no DIMSE layer yet, so the C-ECHO-RSP is hand-made.</summary>
[Category("UpperLayer")]
[Category("Interop")]
[CancelAfter(60_000)]
public class DcmtkEchoInteropTests
{
    private static async Task<(int ExitCode, string Output)> RunEchoscuAsync(int port, string calledAE, CancellationToken ct, params string[] extra)
    {
        const string tool = "/usr/bin/echoscu";
        if (!File.Exists(tool)) Assert.Fail($"{tool} is missing; install the Debian package dcmtk to run this interop test.");
        var psi = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-v", "-aet", "ECHOSCU", "-aec", calledAE, "-ta", "10", "-td", "10" }.Concat(extra).Concat(["127.0.0.1", port.ToString()])) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1"; // Debian's DCMTK leaves Nagle on otherwise
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Reads (0000,0110) MessageID from an Implicit VR Little Endian command set.</summary>
    private static ushort MessageId(ReadOnlySpan<byte> command)
    {
        int at = 0;
        while (at + 8 <= command.Length)
        {
            uint tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(command[at..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(command[(at + 2)..]);
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(command[(at + 4)..]);
            if (tag == 0x00000110) return BinaryPrimitives.ReadUInt16LittleEndian(command[(at + 8)..]);
            at += 8 + length;
        }
        throw new AssertionException("The C-ECHO-RQ has no MessageID (0000,0110).");
    }

    /// <summary>A C-ECHO-RSP command set in Implicit VR Little Endian (PS3.7 §9.3.5.2, Table 9.3-13).</summary>
    private static byte[] EchoResponse(ushort messageIdBeingRespondedTo)
    {
        var body = new MemoryStream();
        void Element(ushort element, byte[] value)
        {
            Span<byte> header = stackalloc byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0000);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], element);
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
            body.Write(header);
            body.Write(value);
        }
        static byte[] US(ushort v) => BitConverter.GetBytes(v);
        Element(0x0002, Encoding.ASCII.GetBytes("1.2.840.10008.1.1\0")); // AffectedSOPClassUID, padded to even length with NUL
        Element(0x0100, US(0x8030));                                   // CommandField: C-ECHO-RSP
        Element(0x0120, US(messageIdBeingRespondedTo));                // MessageIDBeingRespondedTo
        Element(0x0800, US(0x0101));                                   // CommandDataSetType: no dataset
        Element(0x0900, US(0x0000));                                   // Status: Success
        var rest = body.ToArray();
        var command = new byte[12 + rest.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(command, 0x00000000);  // (0000,0000) CommandGroupLength
        BinaryPrimitives.WriteUInt32LittleEndian(command.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(command.AsSpan(8), (uint)rest.Length);
        rest.CopyTo(command, 12);
        return command;
    }

    [Test]
    public async Task Echoscu_succeeds_against_our_acceptor_with_a_hand_made_C_ECHO_RSP(CancellationToken ct)
    {
        var served = new TaskCompletionSource<AssociationReceiveResult>();
        await using var node = new LoopbackNode(async (a, token) =>
        {
            var command = new MemoryStream();
            byte context = 0;
            while (true)
            {
                var r = await a.ReceiveAsync(token);
                if (r.Kind != AssociationReceiveKind.Pdv) { served.SetResult(r); return; }
                Assert.That(r.Pdv.IsCommand, Is.True);
                context = r.Pdv.PresentationContextId;
                command.Write(r.Pdv.Data.Span);
                if (r.Pdv.IsLast) break;
            }
            await a.SendPdvAsync(context, true, EchoResponse(MessageId(command.ToArray())), isLast: true, token);
            var release = await a.ReceiveAsync(token);
            served.SetResult(release.Kind == AssociationReceiveKind.ReleaseRequested ? await a.SendReleaseResponseAsync(token) : release);
        });

        var (exit, output) = await RunEchoscuAsync(node.Port, LoopbackNode.AETitle, ct);
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Contain("Received Echo Response (Success)"));
        Assert.That((await served.Task.WaitAsync(ct)).Kind, Is.EqualTo(AssociationReceiveKind.Released));
        Assert.That(node.Errors, Is.Empty);
    }

    [TestCase("4096")]
    [TestCase("131072")]
    public async Task Echoscu_negotiates_its_maximum_PDU_length(string maxPdu, CancellationToken ct)
    {
        var negotiated = new TaskCompletionSource<uint>();
        await using var node = new LoopbackNode(async (a, token) =>
        {
            negotiated.SetResult(a.Request.UserInformation.MaxLength);
            await a.AbortAsync(token);
        }, new AssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2) });
        await RunEchoscuAsync(node.Port, LoopbackNode.AETitle, ct, "-pdu", maxPdu);
        Assert.That(await negotiated.Task.WaitAsync(ct), Is.EqualTo(uint.Parse(maxPdu)));
    }

    [Test]
    public async Task Echoscu_with_a_wrong_called_AE_title_is_rejected_with_called_AE_title_not_recognized(CancellationToken ct)
    {
        await using var node = new LoopbackNode((_, _) => Task.CompletedTask);
        var (exit, output) = await RunEchoscuAsync(node.Port, "SOMEONE-ELSE", ct);
        Assert.That(exit, Is.Not.EqualTo(0));
        Assert.That(output, Does.Contain("Called AE Title Not Recognized"));
        Assert.That(output, Does.Contain("Rejected Permanent"));
    }
}
