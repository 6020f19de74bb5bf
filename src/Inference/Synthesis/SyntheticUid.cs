using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using EdgeCancer.Dicom;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Deterministic UIDs for synthetic objects: a name-based UUID (version 8, RFC 9562 §5.8) from the SHA-256 of a key
/// such as "seed/patient/series", written under the 2.25 root as its decimal integer (PS3.5 §B.2), so the same seed
/// always yields the same UIDs and different keys never collide in practice.
/// </summary>
public static class SyntheticUid
{
    /// <summary>The UID for <paramref name="key"/>.</summary>
    public static DicomUid From(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("edgecancer-synth:" + key), hash);
        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // RFC variant
        var number = new BigInteger(uuid, isUnsigned: true, isBigEndian: true);
        return new DicomUid("2.25." + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
