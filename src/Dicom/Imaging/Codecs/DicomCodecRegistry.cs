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
    /// The toolkit's built-in decoders: RLE Lossless (1.2.840.10008.1.2.5, PS3.5 Annex G) and JPEG Lossless process 14
    /// (1.2.840.10008.1.2.4.57 any predictor, 1.2.840.10008.1.2.4.70 selection value 1; PS3.5 §8.2.1, §A.4.1).
    /// Every other encapsulated syntax reports "no decoder for &lt;name&gt; (&lt;UID&gt;)".
    /// </summary>
    public static DicomCodecRegistry Default { get; } = new([new RleFrameDecoder(), new JpegLosslessFrameDecoder()]);

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
