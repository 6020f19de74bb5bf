namespace EdgeCancer.Dicom.Network;

/// <summary>A protocol data unit of the DICOM upper layer (PS3.8 §9.3). Immutable.</summary>
public abstract record Pdu
{
    /// <summary>The PDU-type byte that starts this PDU on the wire.</summary>
    public abstract PduType Type { get; }

    /// <summary>Length of the fixed PDU header: type, reserved byte and 4-byte PDU-length (PS3.8 §9.3.1).</summary>
    public const int HeaderLength = 6;
}
