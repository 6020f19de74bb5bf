using System.Globalization;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>Small helpers for golden-byte tests: hex literals and encode/decode of bare datasets.</summary>
internal static class Codec
{
    /// <summary>Bytes from hex text; spaces ignored; 'text' in single quotes is ASCII.</summary>
    public static byte[] Hex(string text)
    {
        var result = new List<byte>();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) continue;
            if (c == '\'')
            {
                int end = text.IndexOf('\'', i + 1);
                foreach (char a in text[(i + 1)..end]) result.Add((byte)a);
                i = end;
                continue;
            }
            result.Add(byte.Parse(text.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            i++;
        }
        return [.. result];
    }

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    public static byte[] Write(DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        var ms = new MemoryStream();
        DicomFile.WriteDataset(ms, dataset, syntax, options);
        return ms.ToArray();
    }

    public static DicomDataset Read(byte[] bytes, DicomTransferSyntax syntax, DicomReaderOptions? options = null) =>
        DicomFile.ReadDataset(new MemoryStream(bytes), syntax, options);

    public static DicomDataset One(DicomTag tag, DicomVR vr, byte[] value)
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(tag, vr, value));
        return ds;
    }
}
