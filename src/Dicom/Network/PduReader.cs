using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace EdgeCancer.Dicom.Network;

/// <summary>
/// Reads PDUs from a <see cref="PipeReader"/>. Each PDU-length is checked against what we advertised before anything
/// is allocated for the body: a P-DATA-TF longer than our maximum length (PS3.8 Annex D.1), an association PDU
/// longer than <see cref="MaxAssociatePduLength"/>, or a fixed-length PDU with any length other than 4 is reported as
/// invalid without waiting for its body. The PDV data of a returned P-DATA-TF is valid until the next call to
/// <see cref="TryRead"/> or <see cref="ReadAsync"/>: it refers to the pipe's own buffer when the PDU lies in one
/// segment (the pipe is advanced past it on the next call), otherwise to a pooled buffer owned by this reader.
/// Not thread-safe: one reader per connection.
/// </summary>
public sealed class PduReader : IDisposable
{
    /// <summary>Default cap on A-ASSOCIATE-RQ/AC PDUs: 1 MiB, the same order as DCMTK's association PDU size limit.</summary>
    public const int DefaultMaxAssociatePduLength = 1024 * 1024;

    /// <summary>Cap on P-DATA-TF bodies when we advertised 0 ("no maximum", Table D.1-1): 16 MiB.</summary>
    public const int UnlimitedDataTransferCap = 16 * 1024 * 1024;

    private readonly PipeReader _input;
    private readonly List<PresentationDataValue> _values = new();
    private byte[]? _body;
    // The end of the PDU last returned, when the pipe has not been advanced past it yet (its PDVs refer to the pipe).
    private SequencePosition? _consumed;

    /// <summary>Creates a reader.</summary>
    /// <param name="input">The connection's input.</param>
    /// <param name="maxDataTransferLength">The maximum P-DATA-TF variable-field length we advertised (0: no maximum).</param>
    /// <param name="maxAssociatePduLength">The largest A-ASSOCIATE-RQ/AC body accepted.</param>
    public PduReader(PipeReader input, uint maxDataTransferLength, int maxAssociatePduLength = DefaultMaxAssociatePduLength)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        MaxDataTransferLength = maxDataTransferLength;
        MaxAssociatePduLength = maxAssociatePduLength;
    }

    /// <summary>The maximum P-DATA-TF variable-field length we advertised; 0 means <see cref="UnlimitedDataTransferCap"/>.</summary>
    public uint MaxDataTransferLength { get; set; }

    /// <summary>The largest A-ASSOCIATE-RQ/AC PDU-length accepted.</summary>
    public int MaxAssociatePduLength { get; }

    /// <summary>
    /// Returns the next PDU (or an invalid-PDU outcome) when the bytes already received hold it, without waiting and
    /// without allocating a task: a peer sending faster than we store leaves most PDUs buffered. False when more
    /// bytes are needed (or the stream ended); then call <see cref="ReadAsync"/>.
    /// </summary>
    public bool TryRead(out PduReadResult result)
    {
        ReleasePrevious();
        if (_input.TryRead(out var read))
        {
            if (TryTake(read.Buffer, out result)) return true;
            _input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
        result = default;
        return false;
    }

    /// <summary>Reads the next PDU, the end of the stream, or an invalid-PDU outcome.</summary>
    public async ValueTask<PduReadResult> ReadAsync(CancellationToken cancellationToken)
    {
        ReleasePrevious();
        while (true)
        {
            var read = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            if (TryTake(buffer, out var result)) return result;
            if (read.IsCompleted || read.IsCanceled)
            {
                long have = buffer.Length;
                var (type, length) = have >= Pdu.HeaderLength ? ReadHeader(buffer) : default;
                _input.AdvanceTo(buffer.End);
                if (have == 0) return PduReadResult.End;
                return PduReadResult.Invalid(AbortReason.InvalidPduParameterValue, have >= Pdu.HeaderLength
                    ? $"Connection closed after {have} of {Pdu.HeaderLength + length} bytes of a {type} PDU."
                    : $"Connection closed inside a PDU header ({have} bytes).");
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Advances the pipe past the PDU last returned, whose data the caller no longer uses.</summary>
    internal void ReleasePrevious()
    {
        if (_consumed is { } consumed)
        {
            _consumed = null;
            _input.AdvanceTo(consumed);
        }
    }

    // Decodes one PDU from the front of buffer when it is complete, or reports an invalid header at once. On true the
    // pipe is advanced past the PDU (or left for ReleasePrevious when the result refers to the pipe's memory).
    private bool TryTake(ReadOnlySequence<byte> buffer, out PduReadResult result)
    {
        result = default;
        if (buffer.Length < Pdu.HeaderLength) return false;
        var (type, length) = ReadHeader(buffer);
        if (CheckHeader(type, length) is { } invalid)
        {
            _input.AdvanceTo(buffer.End);
            result = invalid;
            return true;
        }
        if (buffer.Length < Pdu.HeaderLength + length) return false;
        var body = buffer.Slice(Pdu.HeaderLength, length);
        if (type == PduType.DataTransfer && body.IsSingleSegment)
        {
            // No copy: the PDVs refer to the pipe's segment, which stays ours until the pipe is advanced.
            if (!PduParser.TryParseDataTransfer(body.First, _values, out var error))
            {
                _input.AdvanceTo(body.End);
                result = PduReadResult.Invalid(AbortReason.InvalidPduParameterValue, error!);
                return true;
            }
            _consumed = body.End;
            result = PduReadResult.Ok(new DataTransferPdu(_values.ToArray()));
            return true;
        }
        result = Decode(type, body);
        _input.AdvanceTo(body.End);
        return true;
    }

    private static (PduType Type, uint Length) ReadHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[Pdu.HeaderLength];
        buffer.Slice(0, Pdu.HeaderLength).CopyTo(header);
        return ((PduType)header[0], BinaryPrimitives.ReadUInt32BigEndian(header[2..]));
    }

    private PduReadResult? CheckHeader(PduType type, uint length) => type switch
    {
        PduType.AssociateRequest or PduType.AssociateAccept when length > (uint)MaxAssociatePduLength =>
            PduReadResult.Invalid(AbortReason.InvalidPduParameterValue, $"{type} PDU-length {length} exceeds the limit of {MaxAssociatePduLength} bytes."),
        PduType.AssociateRequest or PduType.AssociateAccept => null,
        PduType.DataTransfer when length > (MaxDataTransferLength == 0 ? UnlimitedDataTransferCap : MaxDataTransferLength) =>
            PduReadResult.Invalid(AbortReason.InvalidPduParameterValue,
                $"P-DATA-TF PDU-length {length} exceeds the maximum length {MaxDataTransferLength} we advertised (PS3.8 Annex D.1)."),
        PduType.DataTransfer => null,
        PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort when length != 4 =>
            PduReadResult.Invalid(AbortReason.InvalidPduParameterValue, $"{type} PDU-length is {length}; it is fixed at 4 (PS3.8 §9.3)."),
        PduType.AssociateReject or PduType.ReleaseRequest or PduType.ReleaseResponse or PduType.Abort => null,
        _ => PduReadResult.Invalid(AbortReason.UnrecognizedPdu, $"PDU-type {(byte)type:X2}H is not a DICOM PDU (PS3.8 §9.3.1)."),
    };

    private PduReadResult Decode(PduType type, ReadOnlySequence<byte> body)
    {
        int length = (int)body.Length;
        if (_body is null || _body.Length < length)
        {
            if (_body is not null) ArrayPool<byte>.Shared.Return(_body);
            _body = ArrayPool<byte>.Shared.Rent(Math.Max(length, 4096));
        }
        body.CopyTo(_body);
        if (type == PduType.DataTransfer)
        {
            return PduParser.TryParseDataTransfer(_body.AsMemory(0, length), _values, out var error)
                ? PduReadResult.Ok(new DataTransferPdu(_values.ToArray()))
                : PduReadResult.Invalid(AbortReason.InvalidPduParameterValue, error!);
        }
        var parsed = PduParser.Parse(type, _body.AsSpan(0, length));
        return parsed.IsSuccess ? PduReadResult.Ok(parsed.Pdu!) : PduReadResult.Invalid(parsed.Error, parsed.Detail!);
    }

    /// <summary>Returns the pooled body buffer.</summary>
    public void Dispose()
    {
        _consumed = null;
        if (_body is not null) ArrayPool<byte>.Shared.Return(_body);
        _body = null;
    }
}
