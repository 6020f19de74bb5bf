using EdgeCancer.Dicom;

namespace EdgeCancer.Scp.Query;

/// <summary>How a key's value is matched against its column.</summary>
internal enum MatchKind
{
    /// <summary>Case-sensitive single value or wildcard (C.2.2.2.1, C.2.2.2.4).</summary>
    Text,
    /// <summary>PN: literal matching insensitive to (ASCII) case, as C.2.2.2.1 allows; wildcards too.</summary>
    PersonName,
    /// <summary>Multi-valued CS (e.g. Image Type): any stored value may match (C.2.2.3).</summary>
    MultiText,
    Date,
    Time,
    /// <summary>Single UID or list of UIDs (C.2.2.2.2).</summary>
    Uid,
    Integer,
    /// <summary>A counter computed by the query (NumberOf…); return key only.</summary>
    Count,
    /// <summary>Modalities in Study: computed; matches when any series modality matches.</summary>
    ModalitiesInStudy,
    /// <summary>SOP Classes in Study: computed; matches when any instance class is in the list.</summary>
    SopClassesInStudy,
    /// <summary>Concept Name Code Sequence, kept as the three columns of its first item.</summary>
    CodeSequence,
}

internal enum KeyRole
{
    Optional,
    Required,
    Unique,
}

/// <summary>A key the archive can match or return, the level it lives at (PS3.4 C.6.1.1) and its column.</summary>
internal sealed record QueryAttribute(
    DicomTag Tag, string Keyword, DicomVR VR, QueryLevel Level, MatchKind Kind, string? Column,
    KeyRole Role = KeyRole.Optional, string? NormalizedColumn = null, DicomTag? PairedTime = null);

/// <summary>The catalog of supported keys: required and unique keys of PS3.4 Tables C.6-1…C.6-5 plus SR.md's keys.</summary>
internal static class QueryAttributes
{
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);
    public static readonly DicomTag SeriesDate = new(0x0008, 0x0021);
    public static readonly DicomTag SeriesTime = new(0x0008, 0x0031);
    public static readonly DicomTag ContentDate = new(0x0008, 0x0023);
    public static readonly DicomTag ContentTime = new(0x0008, 0x0033);
    public static readonly DicomTag ConceptNameCodeSequence = new(0x0040, 0xA043);
    public static readonly DicomTag CodeValue = new(0x0008, 0x0100);
    public static readonly DicomTag CodingSchemeDesignator = new(0x0008, 0x0102);
    public static readonly DicomTag CodeMeaning = new(0x0008, 0x0104);

    /// <summary>Keys that are never matched: they describe the request itself (C.2.2.2: Specific Character Set is not matched).</summary>
    public static readonly IReadOnlySet<DicomTag> NotMatched = new HashSet<DicomTag>
    {
        new(0x0008, 0x0005), // Specific Character Set
        new(0x0008, 0x0052), // Query/Retrieve Level
        new(0x0008, 0x0054), // Retrieve AE Title (filled by the handler)
        new(0x0008, 0x0056), // Instance Availability (filled by the handler)
        new(0x0008, 0x0201), // Timezone Offset From UTC
    };

    public static readonly IReadOnlyList<QueryAttribute> All =
    [
        // PATIENT (Table C.6-1); in Study Root these are study-level keys (Table C.6-5).
        new(PatientName, "PatientName", DicomVR.PN, QueryLevel.Patient, MatchKind.PersonName, "p.patient_name", KeyRole.Required),
        new(PatientId, "PatientID", DicomVR.LO, QueryLevel.Patient, MatchKind.Text, "p.patient_id", KeyRole.Unique),
        new(new(0x0010, 0x0021), "IssuerOfPatientID", DicomVR.LO, QueryLevel.Patient, MatchKind.Text, "p.issuer_of_patient_id"),
        new(new(0x0010, 0x0030), "PatientBirthDate", DicomVR.DA, QueryLevel.Patient, MatchKind.Date, "p.patient_birth_date"),
        new(new(0x0010, 0x0040), "PatientSex", DicomVR.CS, QueryLevel.Patient, MatchKind.Text, "p.patient_sex"),
        new(new(0x0020, 0x1200), "NumberOfPatientRelatedStudies", DicomVR.IS, QueryLevel.Patient, MatchKind.Count,
            "(SELECT COUNT(*) FROM study x WHERE x.patient_fk = p.pk)"),
        new(new(0x0020, 0x1202), "NumberOfPatientRelatedSeries", DicomVR.IS, QueryLevel.Patient, MatchKind.Count,
            "(SELECT COUNT(*) FROM series x JOIN study y ON x.study_fk = y.pk WHERE y.patient_fk = p.pk)"),
        new(new(0x0020, 0x1204), "NumberOfPatientRelatedInstances", DicomVR.IS, QueryLevel.Patient, MatchKind.Count,
            "(SELECT COUNT(*) FROM instance x JOIN series y ON x.series_fk = y.pk JOIN study z ON y.study_fk = z.pk WHERE z.patient_fk = p.pk)"),

        // STUDY (Table C.6-2)
        new(StudyInstanceUid, "StudyInstanceUID", DicomVR.UI, QueryLevel.Study, MatchKind.Uid, "st.study_instance_uid", KeyRole.Unique),
        new(StudyDate, "StudyDate", DicomVR.DA, QueryLevel.Study, MatchKind.Date, "st.study_date", KeyRole.Required, PairedTime: StudyTime),
        new(StudyTime, "StudyTime", DicomVR.TM, QueryLevel.Study, MatchKind.Time, "st.study_time", KeyRole.Required, "st.study_time_n"),
        new(new(0x0008, 0x0050), "AccessionNumber", DicomVR.SH, QueryLevel.Study, MatchKind.Text, "st.accession_number", KeyRole.Required),
        new(new(0x0020, 0x0010), "StudyID", DicomVR.SH, QueryLevel.Study, MatchKind.Text, "st.study_id", KeyRole.Required),
        new(new(0x0008, 0x1030), "StudyDescription", DicomVR.LO, QueryLevel.Study, MatchKind.Text, "st.study_description"),
        new(new(0x0008, 0x0090), "ReferringPhysicianName", DicomVR.PN, QueryLevel.Study, MatchKind.PersonName, "st.referring_physician_name"),
        new(new(0x0008, 0x0061), "ModalitiesInStudy", DicomVR.CS, QueryLevel.Study, MatchKind.ModalitiesInStudy, null),
        new(new(0x0008, 0x0062), "SOPClassesInStudy", DicomVR.UI, QueryLevel.Study, MatchKind.SopClassesInStudy, null),
        new(new(0x0020, 0x1206), "NumberOfStudyRelatedSeries", DicomVR.IS, QueryLevel.Study, MatchKind.Count,
            "(SELECT COUNT(*) FROM series x WHERE x.study_fk = st.pk)"),
        new(new(0x0020, 0x1208), "NumberOfStudyRelatedInstances", DicomVR.IS, QueryLevel.Study, MatchKind.Count,
            "(SELECT COUNT(*) FROM instance x JOIN series y ON x.series_fk = y.pk WHERE y.study_fk = st.pk)"),

        // SERIES (Table C.6-3), with the Equipment IE (C.3.1)
        new(SeriesInstanceUid, "SeriesInstanceUID", DicomVR.UI, QueryLevel.Series, MatchKind.Uid, "se.series_instance_uid", KeyRole.Unique),
        new(new(0x0008, 0x0060), "Modality", DicomVR.CS, QueryLevel.Series, MatchKind.Text, "se.modality", KeyRole.Required),
        new(new(0x0020, 0x0011), "SeriesNumber", DicomVR.IS, QueryLevel.Series, MatchKind.Integer, "se.series_number", KeyRole.Required),
        new(new(0x0008, 0x103E), "SeriesDescription", DicomVR.LO, QueryLevel.Series, MatchKind.Text, "se.series_description"),
        new(new(0x0018, 0x0015), "BodyPartExamined", DicomVR.CS, QueryLevel.Series, MatchKind.Text, "se.body_part_examined"),
        new(new(0x0008, 0x0070), "Manufacturer", DicomVR.LO, QueryLevel.Series, MatchKind.Text, "se.manufacturer"),
        new(new(0x0008, 0x1090), "ManufacturerModelName", DicomVR.LO, QueryLevel.Series, MatchKind.Text, "se.manufacturer_model_name"),
        new(SeriesDate, "SeriesDate", DicomVR.DA, QueryLevel.Series, MatchKind.Date, "se.series_date", PairedTime: SeriesTime),
        new(SeriesTime, "SeriesTime", DicomVR.TM, QueryLevel.Series, MatchKind.Time, "se.series_time", NormalizedColumn: "se.series_time_n"),
        new(new(0x0020, 0x1209), "NumberOfSeriesRelatedInstances", DicomVR.IS, QueryLevel.Series, MatchKind.Count,
            "(SELECT COUNT(*) FROM instance x WHERE x.series_fk = se.pk)"),

        // IMAGE (Table C.6-4) and SR Document General (SR.md §4.2)
        new(SopInstanceUid, "SOPInstanceUID", DicomVR.UI, QueryLevel.Image, MatchKind.Uid, "i.sop_instance_uid", KeyRole.Unique),
        new(new(0x0008, 0x0016), "SOPClassUID", DicomVR.UI, QueryLevel.Image, MatchKind.Uid, "i.sop_class_uid"),
        new(new(0x0020, 0x0013), "InstanceNumber", DicomVR.IS, QueryLevel.Image, MatchKind.Integer, "i.instance_number", KeyRole.Required),
        new(new(0x0008, 0x3002), "AvailableTransferSyntaxUID", DicomVR.UI, QueryLevel.Image, MatchKind.Uid, "i.transfer_syntax_uid"),
        new(ContentDate, "ContentDate", DicomVR.DA, QueryLevel.Image, MatchKind.Date, "i.content_date", PairedTime: ContentTime),
        new(ContentTime, "ContentTime", DicomVR.TM, QueryLevel.Image, MatchKind.Time, "i.content_time", NormalizedColumn: "i.content_time_n"),
        new(new(0x0040, 0xA491), "CompletionFlag", DicomVR.CS, QueryLevel.Image, MatchKind.Text, "i.completion_flag"),
        new(new(0x0040, 0xA493), "VerificationFlag", DicomVR.CS, QueryLevel.Image, MatchKind.Text, "i.verification_flag"),
        new(new(0x0040, 0xA496), "PreliminaryFlag", DicomVR.CS, QueryLevel.Image, MatchKind.Text, "i.preliminary_flag"),
        new(new(0x0008, 0x0008), "ImageType", DicomVR.CS, QueryLevel.Image, MatchKind.MultiText, "i.image_type"),
        new(new(0x0028, 0x0010), "Rows", DicomVR.US, QueryLevel.Image, MatchKind.Integer, "i.image_rows"),
        new(new(0x0028, 0x0011), "Columns", DicomVR.US, QueryLevel.Image, MatchKind.Integer, "i.image_columns"),
        new(new(0x0028, 0x0008), "NumberOfFrames", DicomVR.IS, QueryLevel.Image, MatchKind.Integer, "i.number_of_frames"),
        new(ConceptNameCodeSequence, "ConceptNameCodeSequence", DicomVR.SQ, QueryLevel.Image, MatchKind.CodeSequence, null),
    ];

    /// <summary>Item keys of Concept Name Code Sequence and their columns.</summary>
    public static readonly IReadOnlyList<QueryAttribute> CodeItem =
    [
        new(CodeValue, "CodeValue", DicomVR.SH, QueryLevel.Image, MatchKind.Text, "i.concept_code_value"),
        new(CodingSchemeDesignator, "CodingSchemeDesignator", DicomVR.SH, QueryLevel.Image, MatchKind.Text, "i.concept_coding_scheme"),
        new(CodeMeaning, "CodeMeaning", DicomVR.LO, QueryLevel.Image, MatchKind.Text, "i.concept_code_meaning"),
    ];

    public static readonly IReadOnlyDictionary<DicomTag, QueryAttribute> ByTag = All.ToDictionary(a => a.Tag);

    /// <summary>The unique key of each level (C.6.1.1 / C.6.2.1).</summary>
    public static DicomTag UniqueKey(QueryLevel level) => level switch
    {
        QueryLevel.Patient => PatientId,
        QueryLevel.Study => StudyInstanceUid,
        QueryLevel.Series => SeriesInstanceUid,
        _ => SopInstanceUid,
    };

    /// <summary>The level a key belongs to in a model: Study Root has no patient level, so patient keys are study keys.</summary>
    public static QueryLevel EffectiveLevel(QueryAttribute attribute, QueryModel model) =>
        model == QueryModel.StudyRoot && attribute.Level == QueryLevel.Patient ? QueryLevel.Study : attribute.Level;

    /// <summary>Role of a key in a model: in Study Root, Patient ID is Required rather than Unique (Table C.6-5).</summary>
    public static KeyRole EffectiveRole(QueryAttribute attribute, QueryModel model) =>
        model == QueryModel.StudyRoot && attribute.Tag == PatientId ? KeyRole.Required : attribute.Role;
}
