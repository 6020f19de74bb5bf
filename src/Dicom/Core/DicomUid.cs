using System.Numerics;

namespace EdgeCancer.Dicom;

/// <summary>What a registered UID identifies (PS3.6 Annex A).</summary>
public enum DicomUidType
{
    /// <summary>Not in the registry, or of a kind not listed below.</summary>
    Unknown,
    TransferSyntax,
    SOPClass,
    MetaSOPClass,
    WellKnownSOPInstance,
    WellKnownFrameOfReference,
    ApplicationContextName,
    ServiceClass,
    CodingScheme,
    ApplicationHostingModel,
    MappingResource,
    LdapOid,
    SynchronizationFrameOfReference,
    Other,
}

/// <summary>One row of the UID registry.</summary>
public sealed record DicomUidEntry(string Value, string Name, string Keyword, DicomUidType Type, bool IsRetired);

/// <summary>A DICOM unique identifier (PS3.5 §9). Immutable; compares by value.</summary>
public readonly record struct DicomUid(string Value)
{
    /// <summary>The registry entry when this UID is a well-known one.</summary>
    public DicomUidEntry? Entry => DicomUidRegistry.Find(Value);

    /// <summary>The registered name, or the UID itself when unknown.</summary>
    public string Name => Entry?.Name ?? Value;

    /// <summary>What the UID identifies, from the registry.</summary>
    public DicomUidType Type => Entry?.Type ?? DicomUidType.Unknown;

    public override string ToString() => Value;

    /// <summary>True when <paramref name="value"/> is a valid UID: 1–64 characters, digits and dots, no empty component, no leading zero in a multi-digit component (PS3.5 §9.1).</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > 64) return false;
        int componentStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                int len = i - componentStart;
                if (len == 0) return false;
                if (len > 1 && value[componentStart] == '0') return false;
                componentStart = i + 1;
            }
            else if (value[i] < '0' || value[i] > '9') return false;
        }
        return true;
    }

    /// <summary>Generates a new UID under the 2.25 root from a random UUID (PS3.5 §B.2).</summary>
    public static DicomUid Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        var number = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return new DicomUid("2.25." + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A UID derived from a name under the 2.25 root: the first 128 bits of SHA-256(<paramref name="name"/>) shaped as
    /// a name-based UUID (version 8, RFC 9562). The same name always gives the same UID, so work repeated after a
    /// restart writes the same instance again instead of a second one.
    /// </summary>
    public static DicomUid FromName(string name)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name), hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC variant
        var number = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return new DicomUid("2.25." + number.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Returns a UID for a registered keyword or a UID string; null when neither.</summary>
    public static DicomUid? Lookup(string keywordOrValue)
    {
        var e = DicomUidRegistry.FindByKeyword(keywordOrValue) ?? DicomUidRegistry.Find(keywordOrValue);
        return e is null ? null : new DicomUid(e.Value);
    }
}
