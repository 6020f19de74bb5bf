namespace EdgeCancer.Dicom.IO;

/// <summary>A dataset could not be read: it is truncated, malformed, or breaks a rule of PS3.5/PS3.10. Names where.</summary>
public sealed class DicomReadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DicomReadException(string message, long offset, DicomTag? tag, Exception? inner = null)
        : base(Format(message, offset, tag), inner)
    {
        Offset = offset;
        Tag = tag;
        Reason = message;
    }

    /// <summary>Byte offset in the stream where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>The tag being read, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The problem without location.</summary>
    public string Reason { get; }

    private static string Format(string message, long offset, DicomTag? tag) =>
        tag is { } t ? $"{message} (at offset {offset} reading {t}{KeywordOf(t)})" : $"{message} (at offset {offset})";

    private static string KeywordOf(DicomTag t) => DicomDictionary.Find(t) is { } e ? " " + e.Keyword : "";
}
