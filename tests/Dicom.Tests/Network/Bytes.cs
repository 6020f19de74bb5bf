using System.Text;

namespace EdgeCancer.Dicom.Tests.Network;

/// <summary>Builds expected byte strings from hex and ASCII pieces, as read off the PS3.8 tables.</summary>
internal static class Bytes
{
    public static byte[] Of(params object[] parts)
    {
        var list = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case string s when s.StartsWith('"'):
                    list.AddRange(Encoding.ASCII.GetBytes(s.Trim('"')));
                    break;
                case string hex:
                    list.AddRange(Convert.FromHexString(hex.Replace(" ", "")));
                    break;
                case byte[] b:
                    list.AddRange(b);
                    break;
                default:
                    throw new ArgumentException($"Unsupported part {part}");
            }
        }
        return list.ToArray();
    }

    /// <summary>A quoted ASCII piece for <see cref="Of"/>.</summary>
    public static string A(string text) => "\"" + text + "\"";

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
