namespace EdgeCancer.Dicom.Imaging.Codecs;

/// <summary>
/// Thrown when compressed pixel data cannot be decoded (corrupt, truncated or of an unsupported kind),
/// or when a native frame cannot be encoded with the requested codec. The message names what was wrong.
/// </summary>
public sealed class DicomCodecException : Exception
{
    /// <summary>Creates the exception with a message that says what was wrong.</summary>
    public DicomCodecException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DicomCodecException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
