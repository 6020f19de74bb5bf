namespace EdgeCancer.Dicom.Network;

/// <summary>The PDU types of the DICOM upper layer protocol (PS3.8 §9.3.1, Table 9-11 … 9-26).</summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ (01H).</summary>
    AssociateRequest = 0x01,
    /// <summary>A-ASSOCIATE-AC (02H).</summary>
    AssociateAccept = 0x02,
    /// <summary>A-ASSOCIATE-RJ (03H).</summary>
    AssociateReject = 0x03,
    /// <summary>P-DATA-TF (04H).</summary>
    DataTransfer = 0x04,
    /// <summary>A-RELEASE-RQ (05H).</summary>
    ReleaseRequest = 0x05,
    /// <summary>A-RELEASE-RP (06H).</summary>
    ReleaseResponse = 0x06,
    /// <summary>A-ABORT (07H).</summary>
    Abort = 0x07,
}
