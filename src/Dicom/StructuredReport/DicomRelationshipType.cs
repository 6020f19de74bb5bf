namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>The Relationship Type (0040,A010) of a content item to its parent (PS3.3 C.17.3.2.4).</summary>
public enum DicomRelationshipType
{
    /// <summary>CONTAINS: the target is contained in the source.</summary>
    Contains,
    /// <summary>HAS PROPERTIES: the target describes properties of the source.</summary>
    HasProperties,
    /// <summary>HAS OBS CONTEXT: the target conveys observation context.</summary>
    HasObsContext,
    /// <summary>HAS ACQ CONTEXT: the target describes the conditions of acquisition.</summary>
    HasAcqContext,
    /// <summary>INFERRED FROM: the source is inferred from the target.</summary>
    InferredFrom,
    /// <summary>SELECTED FROM: the source is selected from the target (coordinates from an image).</summary>
    SelectedFrom,
    /// <summary>HAS CONCEPT MOD: the target qualifies or modifies the source's concept name.</summary>
    HasConceptMod,
}

/// <summary>Conversions between <see cref="DicomRelationshipType"/> and its CS defined terms.</summary>
public static class DicomRelationshipTypes
{
    /// <summary>The defined term as written in (0040,A010), e.g. "HAS CONCEPT MOD".</summary>
    public static string ToTerm(this DicomRelationshipType type) => type switch
    {
        DicomRelationshipType.Contains => "CONTAINS",
        DicomRelationshipType.HasProperties => "HAS PROPERTIES",
        DicomRelationshipType.HasObsContext => "HAS OBS CONTEXT",
        DicomRelationshipType.HasAcqContext => "HAS ACQ CONTEXT",
        DicomRelationshipType.InferredFrom => "INFERRED FROM",
        DicomRelationshipType.SelectedFrom => "SELECTED FROM",
        DicomRelationshipType.HasConceptMod => "HAS CONCEPT MOD",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a defined term; false when it is not one of PS3.3 C.17.3.2.4.</summary>
    public static bool TryParse(string term, out DicomRelationshipType type)
    {
        foreach (var t in Enum.GetValues<DicomRelationshipType>())
        {
            if (t.ToTerm() == term) { type = t; return true; }
        }
        type = default;
        return false;
    }
}
