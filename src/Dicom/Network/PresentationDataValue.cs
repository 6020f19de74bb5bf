namespace EdgeCancer.Dicom.Network;

/// <summary>
/// One presentation data value item of a P-DATA-TF PDU (PS3.8 §9.3.5.1, Annex E.2): a fragment of a command or of a
/// dataset. When it comes from a reader, <see cref="Data"/> points into a pooled buffer that is valid only until the
/// next read.
/// </summary>
/// <param name="PresentationContextId">Odd presentation context ID, 1–255.</param>
/// <param name="IsCommand">Message control header bit 0: command (true) or dataset (false).</param>
/// <param name="IsLast">Message control header bit 1: last fragment of the command or dataset.</param>
/// <param name="Data">The fragment bytes.</param>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data)
{
    /// <summary>Bytes of a PDV item before its data: 4-byte item-length, context ID and message control header.</summary>
    public const int HeaderLength = 6;

    /// <summary>The message control header byte (PS3.8 Annex E.2).</summary>
    public byte MessageControlHeader => (byte)((IsCommand ? 0x01 : 0x00) | (IsLast ? 0x02 : 0x00));
}
