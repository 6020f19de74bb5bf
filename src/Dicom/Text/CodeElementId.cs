namespace EdgeCancer.Dicom.Text;

/// <summary>
/// The graphic character sets (code elements) DICOM can designate into G0 or G1,
/// PS3.3 C.12.1.1.2 Tables C.12-2 to C.12-4.
/// </summary>
internal enum CodeElementId : byte
{
    /// <summary>ISO-IR 6, ISO 646 (ASCII), G0.</summary>
    Ascii,
    /// <summary>ISO-IR 14, JIS X 0201 Romaji, G0.</summary>
    JisRomaji,
    /// <summary>ISO-IR 100, ISO 8859-1 right half, G1.</summary>
    Latin1,
    /// <summary>ISO-IR 101, ISO 8859-2 right half, G1.</summary>
    Latin2,
    /// <summary>ISO-IR 109, ISO 8859-3 right half, G1.</summary>
    Latin3,
    /// <summary>ISO-IR 110, ISO 8859-4 right half, G1.</summary>
    Latin4,
    /// <summary>ISO-IR 144, ISO 8859-5 right half, G1.</summary>
    Cyrillic,
    /// <summary>ISO-IR 127, ISO 8859-6 right half, G1.</summary>
    Arabic,
    /// <summary>ISO-IR 126, ISO 8859-7 right half, G1.</summary>
    Greek,
    /// <summary>ISO-IR 138, ISO 8859-8 right half, G1.</summary>
    Hebrew,
    /// <summary>ISO-IR 148, ISO 8859-9 right half, G1.</summary>
    Latin5,
    /// <summary>ISO-IR 203, ISO 8859-15 right half, G1.</summary>
    Latin9,
    /// <summary>ISO-IR 13, JIS X 0201 Katakana, G1.</summary>
    JisKatakana,
    /// <summary>ISO-IR 166, TIS 620-2533 right half, G1.</summary>
    Thai,
    /// <summary>ISO-IR 87, JIS X 0208 Kanji, 94x94 set in G0.</summary>
    JisX0208,
    /// <summary>ISO-IR 159, JIS X 0212 supplementary Kanji, 94x94 set in G0.</summary>
    JisX0212,
    /// <summary>ISO-IR 149, KS X 1001 Hangul and Hanja, 94x94 set in G1.</summary>
    KsX1001,
    /// <summary>ISO-IR 58, GB 2312 Simplified Chinese, 94x94 set in G1.</summary>
    Gb2312,
}
