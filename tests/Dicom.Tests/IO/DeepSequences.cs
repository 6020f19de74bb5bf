using EdgeCancer.Dicom.IO;
using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>Builds, byte by byte, a Part 10 file of N nested undefined-length Content Sequences (Explicit VR LE).</summary>
internal static class DeepSequences
{
    public static byte[] Build(int depth)
    {
        var ms = new MemoryStream();
        ms.Write(new byte[128]);
        ms.Write("DICM"u8);
        // (0002,0000) UL 28, (0002,0010) UI "1.2.840.10008.1.2.1\0" (20 bytes)
        ms.Write(Hex("0200 0000 'UL' 0400 1C000000  0200 1000 'UI' 1400 '1.2.840.10008.1.2.1' 00"));
        var open = Hex("40 00 30 A7 'SQ' 0000 FFFFFFFF  FEFF 00E0 FFFFFFFF");
        var close = Hex("FEFF 0DE0 00000000  FEFF DDE0 00000000");
        for (int i = 0; i < depth; i++) ms.Write(open);
        for (int i = 0; i < depth; i++) ms.Write(close);
        return ms.ToArray();
    }
}
