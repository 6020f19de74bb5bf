namespace EdgeCancer.Dicom.IO;

/// <summary>What the reader is positioned on after <see cref="DicomReader.Read()"/>.</summary>
public enum DicomReaderToken
{
    /// <summary>Nothing read yet, or the end.</summary>
    None,
    /// <summary>An element with a value (not SQ, not encapsulated).</summary>
    Element,
    /// <summary>The header of a sequence (SQ, or UN of undefined length).</summary>
    SequenceStart,
    /// <summary>An item of a sequence begins.</summary>
    ItemStart,
    /// <summary>The current item ended (delimiter or defined length reached).</summary>
    ItemEnd,
    /// <summary>The current sequence ended.</summary>
    SequenceEnd,
    /// <summary>Encapsulated pixel data begins (undefined-length OB/OW).</summary>
    FragmentsStart,
    /// <summary>One fragment; the first is the Basic Offset Table.</summary>
    Fragment,
    /// <summary>Encapsulated pixel data ended.</summary>
    FragmentsEnd,
}
