namespace EdgeCancer.Tools.DictionaryGenerator;

/// <summary>Writes DicomUidRegistry.g.cs, DicomUids.g.cs and DicomStorageSopClasses.g.cs from pydicom's UID table.</summary>
internal static class UidEmitter
{
    /// <summary>pydicom's type strings (PS3.6 Table A-1 "UID Type" column) mapped to DicomUidType member names.</summary>
    public static string MapType(string type) => type switch
    {
        "Transfer Syntax" => "TransferSyntax",
        "SOP Class" => "SOPClass",
        "Meta SOP Class" => "MetaSOPClass",
        "Well-known SOP Instance" or "Well-known Printer SOP Instance" or "Well-known Print Queue SOP Instance" => "WellKnownSOPInstance",
        "Well-known frame of reference" => "WellKnownFrameOfReference",
        "Application Context Name" => "ApplicationContextName",
        "Service Class" => "ServiceClass",
        "Coding Scheme" or "DICOM UIDs as a Coding Scheme" => "CodingScheme",
        "Application Hosting Model" => "ApplicationHostingModel",
        "Mapping Resource" => "MappingResource",
        "LDAP OID" => "LdapOid",
        "Synchronization Frame of Reference" => "SynchronizationFrameOfReference",
        _ => throw new FormatException($"UID type '{type}' has no DicomUidType; add it to UidEmitter.MapType and DicomUidType."),
    };

    /// <summary>
    /// A Storage SOP Class (PS3.4 Annex B and the storage-like classes of other annexes): a SOP Class whose name ends in
    /// "Storage" or "Storage SOP Class" or contains "Storage -". Storage Commitment is a different service, and Media Storage
    /// Directory Storage names the DICOMDIR file, which is never sent with C-STORE.
    /// </summary>
    public static bool IsStorage(UidRow u) =>
        u.Type == "SOP Class"
        && (u.Name.EndsWith("Storage", StringComparison.Ordinal) || u.Name.EndsWith("Storage SOP Class", StringComparison.Ordinal) || u.Name.Contains("Storage -", StringComparison.Ordinal))
        && !u.Name.StartsWith("Storage Commitment", StringComparison.Ordinal)
        && u.Value != "1.2.840.10008.1.3.10";

    public static void WriteRegistry(List<UidRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var f = new GeneratedFile("PS3.6 Annex A UID registry.", sources);
        f.Line("public static partial class DicomUidRegistry");
        f.Line("{");
        f.Line("    private static partial IEnumerable<DicomUidEntry> CreateEntries() =>");
        f.Line("    [");
        foreach (var u in rows)
            f.Line($"        new({Str(u.Value)}, {Str(u.Name)}, {Str(u.Keyword)}, DicomUidType.{MapType(u.Type)}, {(u.Retired ? "true" : "false")}),");
        f.Line("    ];");
        f.Line("}");
        f.WriteTo(path);
    }

    public static void WriteConstants(List<UidRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var f = new GeneratedFile("PS3.6 Annex A UIDs by keyword.", sources);
        f.Line("/// <summary>Every keyword of the PS3.6 UID registry as a <see cref=\"DicomUid\"/>.</summary>");
        f.Line("public static partial class DicomUids");
        f.Line("{");
        foreach (var u in rows.Where(u => u.Keyword.Length > 0))
        {
            string info = u.Info.Length > 0 ? $"; {u.Info}" : "";
            string retired = u.Retired ? ", retired" : "";
            f.Line($"    /// <summary>{Naming.Xml(u.Name)} ({u.Type}{retired}{Naming.Xml(info)}): {u.Value}</summary>");
            f.Line($"    public static readonly DicomUid {u.Keyword} = new({Str(u.Value)});");
        }
        f.Line("}");
        f.WriteTo(path);
    }

    public static void WriteStorage(List<UidRow> rows, IEnumerable<SourceNote> sources, string path)
    {
        var storage = rows.Where(IsStorage).ToList();
        var f = new GeneratedFile("Storage SOP Classes of the PS3.6 Annex A UID registry.", sources);
        f.Line("/// <summary>");
        f.Line("/// Every Storage SOP Class in the UID registry, retired ones included: SOP Classes named \"… Storage\", \"… Storage SOP Class\"");
        f.Line("/// or \"… Storage - …\", except Storage Commitment and Media Storage Directory Storage (the DICOMDIR).");
        f.Line("/// </summary>");
        f.Line("public static partial class DicomStorageSopClasses");
        f.Line("{");
        f.Line($"    /// <summary>All {storage.Count} Storage SOP Classes, in registry order.</summary>");
        f.Line("    public static IReadOnlyList<DicomUid> All { get; } = Array.AsReadOnly<DicomUid>(");
        f.Line("    [");
        foreach (var u in storage)
            f.Line($"        new({Str(u.Value)}), // {u.Name}{(u.Retired ? " (retired)" : "")}");
        f.Line("    ]);");
        f.Line("}");
        f.WriteTo(path);
    }

    private static string Str(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
