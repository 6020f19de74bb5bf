using System.Text;

namespace EdgeCancer.Dicom.Text;

// Placeholder (ISO_IR 6/100/192 only) until the full implementation lands.
public sealed class DicomCharacterSet
{
    private readonly Encoding _encoding;
    private DicomCharacterSet(Encoding e) => _encoding = e;

    public static readonly DicomCharacterSet Default = new(Encoding.Latin1);

    public static DicomCharacterSet Create(IReadOnlyList<string> specificCharacterSetValues, Action<string>? warn = null)
    {
        if (specificCharacterSetValues.Count > 0 && specificCharacterSetValues[0].Trim() == "ISO_IR 192") return new(Encoding.UTF8);
        return Default;
    }

    public string Decode(ReadOnlySpan<byte> value, DicomVR vr) => vr.IsCharacterSetDependent ? _encoding.GetString(value) : Encoding.Latin1.GetString(value);

    public byte[] Encode(string text, DicomVR vr) => vr.IsCharacterSetDependent ? _encoding.GetBytes(text) : Encoding.Latin1.GetBytes(text);
}
