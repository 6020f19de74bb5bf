using System.Diagnostics.CodeAnalysis;

namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// The frame decoders available to pixel data decoding, chosen by transfer syntax. Immutable: build one with the
/// decoders you want (tests, plug-ins) or use <see cref="Default"/>.
/// </summary>
public sealed class DicomCodecRegistry
{
    private readonly IDicomFrameDecoder[] _decoders;

    /// <summary>Creates a registry; for a syntax more than one decoder accepts, the first listed wins.</summary>
    public DicomCodecRegistry(IEnumerable<IDicomFrameDecoder> decoders)
    {
        ArgumentNullException.ThrowIfNull(decoders);
        _decoders = [.. decoders];
        foreach (var d in _decoders) ArgumentNullException.ThrowIfNull(d, nameof(decoders));
    }

    /// <summary>
    /// The toolkit's built-in decoders.
    /// </summary>
    // TODO(codec merge): register new RleFrameDecoder() and new JpegLosslessFrameDecoder() here once RleCodec and
    // JpegLosslessDecoder from wip/codec are merged (see RleFrameDecoder.cs and JpegLosslessFrameDecoder.cs).
    public static DicomCodecRegistry Default { get; } = new([]);

    /// <summary>An empty registry: every encapsulated syntax reports "no decoder".</summary>
    public static DicomCodecRegistry Empty { get; } = new([]);

    /// <summary>The decoders, in lookup order.</summary>
    public IReadOnlyList<IDicomFrameDecoder> Decoders => _decoders;

    /// <summary>Finds the decoder for <paramref name="syntax"/>.</summary>
    public bool TryGetDecoder(DicomTransferSyntax syntax, [NotNullWhen(true)] out IDicomFrameDecoder? decoder)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        foreach (var d in _decoders)
        {
            if (d.CanDecode(syntax))
            {
                decoder = d;
                return true;
            }
        }
        decoder = null;
        return false;
    }

    /// <summary>The decoder for <paramref name="syntax"/>; throws <see cref="DicomCodecException"/> naming the syntax when there is none.</summary>
    public IDicomFrameDecoder GetDecoder(DicomTransferSyntax syntax) =>
        TryGetDecoder(syntax, out var decoder) ? decoder : throw new DicomCodecException(NoDecoderMessage(syntax));

    /// <summary>The message for a syntax without decoder, e.g. "no decoder for RLE Lossless (1.2.840.10008.1.2.5)".</summary>
    public static string NoDecoderMessage(DicomTransferSyntax syntax) => $"no decoder for {syntax.Name} ({syntax.Uid.Value})";
}
