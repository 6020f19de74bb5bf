using System.Globalization;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.StructuredReport;

/// <summary>
/// Builds an SR document dataset (PS3.3 A.35.3 Comprehensive SR, A.35.13 Comprehensive 3D SR): Patient and Study
/// modules copied from a source image, SR Document Series, General Equipment, SR Document General, SR Document
/// Content (from <see cref="Content"/>) and SOP Common. Evidence is split into Current Requested Procedure Evidence
/// (same study) and Pertinent Other Evidence (other studies), PS3.3 C.17.2.3.
/// </summary>
/// <remarks>
/// Building is a pure function of the properties: the UIDs and times are inputs. Violations of the rules dciodvfy
/// enforces (VERIFIED without COMPLETE or without a verifying observer; an IMAGE item not listed in the evidence)
/// are programming errors and throw <see cref="InvalidOperationException"/>.
/// </remarks>
public sealed class DicomStructuredReportDocument
{
    /// <summary>The image whose Patient and Study attributes the document copies.</summary>
    public required DicomDataset Source { get; init; }

    /// <summary>The root CONTAINER (the document title and everything below it).</summary>
    public required DicomContainerItem Content { get; init; }

    /// <summary>SOP Class UID; Comprehensive 3D SR by default, Comprehensive SR as the fallback (SR.md §0).</summary>
    public DicomUid SopClassUid { get; init; } = DicomUids.Comprehensive3DSRStorage;

    /// <summary>SOP Instance UID, new for every document version (PS3.4 O.3).</summary>
    public required DicomUid SopInstanceUid { get; init; }

    /// <summary>Series Instance UID of the SR series.</summary>
    public required DicomUid SeriesInstanceUid { get; init; }

    /// <summary>Series Number (0020,0011), Type 1 in the SR Document Series module.</summary>
    public required int SeriesNumber { get; init; }

    /// <summary>Series Description (0008,103E).</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Series Date/Time; <see cref="ContentDateTime"/> when null.</summary>
    public DateTimeOffset? SeriesDateTime { get; init; }

    /// <summary>Instance Number (0020,0013), Type 1.</summary>
    public required int InstanceNumber { get; init; }

    /// <summary>Content Date/Time: when creation of the content started. Its offset becomes Timezone Offset From UTC.</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>Instance Creation Date/Time; <see cref="ContentDateTime"/> when null.</summary>
    public DateTimeOffset? InstanceCreationDateTime { get; init; }

    /// <summary>Completion Flag (0040,A491).</summary>
    public DicomCompletionFlag Completion { get; init; } = DicomCompletionFlag.Complete;

    /// <summary>Completion Flag Description (0040,A492), e.g. "120 of ≥143 images processed".</summary>
    public string? CompletionDescription { get; init; }

    /// <summary>Verification Flag (0040,A493); VERIFIED needs COMPLETE and at least one verifying observer.</summary>
    public DicomVerificationFlag Verification { get; init; } = DicomVerificationFlag.Unverified;

    /// <summary>Preliminary Flag (0040,A496); omitted when null.</summary>
    public DicomPreliminaryFlag? Preliminary { get; init; }

    /// <summary>Verifying Observer Sequence (0040,A073) items.</summary>
    public IReadOnlyList<DicomVerifyingObserver> VerifyingObservers { get; init; } = [];

    /// <summary>Author Observer Sequence (0040,A078) items.</summary>
    public IReadOnlyList<DicomSrObserver> AuthorObservers { get; init; } = [];

    /// <summary>Participant Sequence (0040,A07A) items.</summary>
    public IReadOnlyList<DicomSrParticipant> Participants { get; init; } = [];

    /// <summary>Predecessor Documents Sequence (0040,A360): SR documents whose content this one revises or includes.</summary>
    public IReadOnlyList<DicomHierarchicalSopReference> PredecessorDocuments { get; init; } = [];

    /// <summary>Every instance the content references (and any other evidence); those of the source's study go to
    /// Current Requested Procedure Evidence, the others to Pertinent Other Evidence.</summary>
    public IReadOnlyList<DicomHierarchicalSopReference> Evidence { get; init; } = [];

    /// <summary>The writing equipment (General Equipment module).</summary>
    public required DicomSrEquipment Equipment { get; init; }

    /// <summary>Contributing Equipment Sequence (0018,A001) items, e.g. one per AI model.</summary>
    public IReadOnlyList<DicomContributingEquipment> ContributingEquipment { get; init; } = [];

    /// <summary>Local coding schemes used in the content (Coding Scheme Identification Sequence).</summary>
    public IReadOnlyList<DicomCodingScheme> CodingSchemes { get; init; } = [];

    /// <summary>Specific Character Set values; the source's when null. Use ["ISO_IR 192"] for text outside the source's repertoire.</summary>
    public IReadOnlyList<string>? SpecificCharacterSet { get; init; }

    /// <summary>Builds the dataset.</summary>
    public DicomDataset Build()
    {
        Validate();
        var ds = new DicomDataset();
        // Specific Character Set first: every text value below is encoded with it.
        var charset = SpecificCharacterSet
            ?? (Source.TryGetValues<string>(DicomTags.SpecificCharacterSet, out var sourceCharset) ? sourceCharset : null);
        if (charset is { Count: > 0 }) ds.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, charset.ToArray());
        var cs = ds.CharacterSet;

        PatientStudyAttributes.Copy(Source, ds);
        var studyUid = new DicomUid(SrText.Require(Source, DicomTags.StudyInstanceUID, "Source image"));

        // SOP Common (C.12.1)
        SrText.SetUid(ds, DicomTags.SOPClassUID, SopClassUid);
        SrText.SetUid(ds, DicomTags.SOPInstanceUID, SopInstanceUid);
        var created = InstanceCreationDateTime ?? ContentDateTime;
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, DicomVR.DA, DicomDateTime.FormatDate(DateOnly.FromDateTime(created.DateTime)));
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, DicomVR.TM, DicomDateTime.FormatTime(TimeOnly.FromDateTime(created.DateTime)));
        if (Equipment.DeviceUid is { } creator) SrText.SetUid(ds, DicomTags.InstanceCreatorUID, creator);
        ds.AddOrUpdate(DicomTags.TimezoneOffsetFromUTC, DicomVR.SH, FormatOffset(ContentDateTime.Offset));
        if (CodingSchemes.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.CodingSchemeIdentificationSequence, CodingSchemes.Select(c => CodingScheme(c, cs))));
        if (ContributingEquipment.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.ContributingEquipmentSequence, ContributingEquipment.Select(c => Contributing(c, cs))));

        // SR Document Series (C.17.1)
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "SR");
        SrText.SetUid(ds, DicomTags.SeriesInstanceUID, SeriesInstanceUid);
        ds.AddOrUpdate(DicomTags.SeriesNumber, DicomVR.IS, SeriesNumber);
        var seriesTime = SeriesDateTime ?? ContentDateTime;
        ds.AddOrUpdate(DicomTags.SeriesDate, DicomVR.DA, DicomDateTime.FormatDate(DateOnly.FromDateTime(seriesTime.DateTime)));
        ds.AddOrUpdate(DicomTags.SeriesTime, DicomVR.TM, DicomDateTime.FormatTime(TimeOnly.FromDateTime(seriesTime.DateTime)));
        if (SeriesDescription is not null) SrText.Set(ds, DicomTags.SeriesDescription, DicomVR.LO, SeriesDescription, cs);
        ds.AddOrUpdate(new DicomSequence(DicomTags.ReferencedPerformedProcedureStepSequence)); // Type 2, empty (SR.md §3.4)

        // General Equipment (C.7.5.1)
        SrText.Set(ds, DicomTags.Manufacturer, DicomVR.LO, Equipment.Manufacturer, cs);
        SetOptional(ds, DicomTags.InstitutionName, DicomVR.LO, Equipment.InstitutionName, cs);
        SetOptional(ds, DicomTags.StationName, DicomVR.SH, Equipment.StationName, cs);
        SetOptional(ds, DicomTags.ManufacturerModelName, DicomVR.LO, Equipment.ModelName, cs);
        SetOptional(ds, DicomTags.DeviceSerialNumber, DicomVR.LO, Equipment.SerialNumber, cs);
        SetOptional(ds, DicomTags.SoftwareVersions, DicomVR.LO, Equipment.SoftwareVersions, cs);
        if (Equipment.DeviceUid is { } deviceUid) SrText.SetUid(ds, DicomTags.DeviceUID, deviceUid);

        // SR Document General (C.17.2)
        ds.AddOrUpdate(DicomTags.InstanceNumber, DicomVR.IS, InstanceNumber);
        ds.AddOrUpdate(DicomTags.ContentDate, DicomVR.DA, DicomDateTime.FormatDate(DateOnly.FromDateTime(ContentDateTime.DateTime)));
        ds.AddOrUpdate(DicomTags.ContentTime, DicomVR.TM, DicomDateTime.FormatTime(TimeOnly.FromDateTime(ContentDateTime.DateTime)));
        if (Preliminary is { } p) ds.AddOrUpdate(DicomTags.PreliminaryFlag, DicomVR.CS, p == DicomPreliminaryFlag.Final ? "FINAL" : "PRELIMINARY");
        ds.AddOrUpdate(DicomTags.CompletionFlag, DicomVR.CS, Completion == DicomCompletionFlag.Complete ? "COMPLETE" : "PARTIAL");
        SetOptional(ds, DicomTags.CompletionFlagDescription, DicomVR.LO, CompletionDescription, cs);
        ds.AddOrUpdate(DicomTags.VerificationFlag, DicomVR.CS, Verification == DicomVerificationFlag.Verified ? "VERIFIED" : "UNVERIFIED");
        if (VerifyingObservers.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.VerifyingObserverSequence, VerifyingObservers.Select(v => Verifying(v, cs))));
        if (AuthorObservers.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.AuthorObserverSequence, AuthorObservers.Select(a => Observer(a, cs))));
        if (Participants.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTags.ParticipantSequence, Participants.Select(a => Participant(a, cs))));
        if (PredecessorDocuments.Count > 0) ds.AddOrUpdate(Hierarchical(DicomTags.PredecessorDocumentsSequence, PredecessorDocuments));
        ds.AddOrUpdate(new DicomSequence(DicomTags.PerformedProcedureCodeSequence)); // Type 2, empty (SR.md §3.6)
        var current = Evidence.Where(e => e.StudyInstanceUid == studyUid).ToList();
        var other = Evidence.Where(e => e.StudyInstanceUid != studyUid).ToList();
        if (current.Count > 0) ds.AddOrUpdate(Hierarchical(DicomTags.CurrentRequestedProcedureEvidenceSequence, current));
        if (other.Count > 0) ds.AddOrUpdate(Hierarchical(DicomTags.PertinentOtherEvidenceSequence, other));

        // SR Document Content (C.17.3)
        DicomContentTreeWriter.WriteRoot(Content, ds);
        return ds;
    }

    private void Validate()
    {
        if (Verification == DicomVerificationFlag.Verified && Completion != DicomCompletionFlag.Complete)
            throw new InvalidOperationException("Verification Flag VERIFIED is only permitted with Completion Flag COMPLETE (PS3.3 C.17.2.1).");
        if (Verification == DicomVerificationFlag.Verified && VerifyingObservers.Count == 0)
            throw new InvalidOperationException("A VERIFIED document needs at least one Verifying Observer (Verifying Observer Sequence is Type 1C, PS3.3 Table C.17-2).");
        if (SeriesNumber < 0 || InstanceNumber < 0) throw new InvalidOperationException("Series Number and Instance Number must not be negative.");
        var listed = Evidence.Select(e => e.SopInstanceUid).ToHashSet();
        foreach (var item in Content.DescendantsAndSelf())
        {
            var reference = item switch { DicomImageItem i => i.Reference, DicomCompositeItem c => c.Reference, _ => null };
            if (reference is not null && !listed.Contains(reference.SopInstanceUid))
                throw new InvalidOperationException($"The content references {reference.SopInstanceUid}, which is not in Evidence; every referenced instance must be listed in Current Requested Procedure Evidence or Pertinent Other Evidence (PS3.3 C.17.2.3).");
        }
        var duplicates = Evidence.GroupBy(e => e.SopInstanceUid).Where(g => g.Select(e => e.StudyInstanceUid).Distinct().Count() > 1).Select(g => g.Key).FirstOrDefault();
        if (duplicates != default)
            throw new InvalidOperationException($"Evidence lists {duplicates} under more than one study.");
    }

    private static void SetOptional(DicomDataset ds, DicomTag tag, DicomVR vr, string? value, DicomCharacterSet cs)
    {
        if (!string.IsNullOrEmpty(value)) SrText.Set(ds, tag, vr, value, cs);
    }

    private static string FormatOffset(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);

    private static DicomDataset CodingScheme(DicomCodingScheme c, DicomCharacterSet cs)
    {
        var item = new DicomDataset();
        SrText.Set(item, DicomTags.CodingSchemeDesignator, DicomVR.SH, c.Designator, cs);
        if (c.Uid is { } uid) SrText.SetUid(item, DicomTags.CodingSchemeUID, uid);
        SrText.Set(item, DicomTags.CodingSchemeName, DicomVR.ST, c.Name, cs);
        SrText.Set(item, DicomTags.CodingSchemeResponsibleOrganization, DicomVR.ST, c.ResponsibleOrganization, cs);
        return item;
    }

    private static DicomDataset Contributing(DicomContributingEquipment c, DicomCharacterSet cs)
    {
        var item = new DicomDataset();
        SrText.Set(item, DicomTags.Manufacturer, DicomVR.LO, c.Manufacturer, cs);
        SrText.Set(item, DicomTags.ManufacturerModelName, DicomVR.LO, c.ModelName, cs);
        SrText.Set(item, DicomTags.SoftwareVersions, DicomVR.LO, c.SoftwareVersions, cs);
        SetOptional(item, DicomTags.ContributionDescription, DicomVR.ST, c.Description, cs);
        item.AddOrUpdate(c.Purpose.ToSequence(DicomTags.PurposeOfReferenceCodeSequence, cs));
        return item;
    }

    private static DicomDataset Verifying(DicomVerifyingObserver v, DicomCharacterSet cs)
    {
        var item = new DicomDataset();
        SrText.Set(item, DicomTags.VerifyingOrganization, DicomVR.LO, v.Organization, cs);
        item.AddOrUpdate(DicomTags.VerificationDateTime, DicomVR.DT, DicomDateTime.FormatDateTime(v.VerificationDateTime));
        SrText.Set(item, DicomTags.VerifyingObserverName, DicomVR.PN, v.Name.Value, cs);
        item.AddOrUpdate(v.Identification is { } id
            ? id.ToSequence(DicomTags.VerifyingObserverIdentificationCodeSequence, cs)
            : new DicomSequence(DicomTags.VerifyingObserverIdentificationCodeSequence));
        return item;
    }

    // Identified Person or Device Macro (PS3.3 Table 10-18).
    private static DicomDataset Observer(DicomSrObserver o, DicomCharacterSet cs)
    {
        var item = new DicomDataset();
        item.AddOrUpdate(DicomTags.ObserverType, DicomVR.CS, o.IsDevice ? "DEV" : "PSN");
        if (o.IsDevice)
        {
            SrText.Set(item, DicomTags.Manufacturer, DicomVR.LO, o.Manufacturer!, cs);
            SrText.Set(item, DicomTags.ManufacturerModelName, DicomVR.LO, o.ModelName!, cs);
            SrText.SetUid(item, DicomTags.DeviceUID, o.DeviceUid!.Value);
            if (o.StationName is { Length: > 0 } station) SrText.Set(item, DicomTags.StationName, DicomVR.SH, station, cs);
            else SrText.SetEmpty(item, DicomTags.StationName, DicomVR.SH);
        }
        else
        {
            SrText.Set(item, DicomTags.PersonName, DicomVR.PN, o.PersonName!.Value, cs);
            item.AddOrUpdate(o.PersonIdentification is { } id
                ? id.ToSequence(DicomTags.PersonIdentificationCodeSequence, cs)
                : new DicomSequence(DicomTags.PersonIdentificationCodeSequence));
        }
        if (o.InstitutionName is { Length: > 0 } institution) SrText.Set(item, DicomTags.InstitutionName, DicomVR.LO, institution, cs);
        else SrText.SetEmpty(item, DicomTags.InstitutionName, DicomVR.LO);
        item.AddOrUpdate(new DicomSequence(DicomTags.InstitutionCodeSequence)); // Type 2
        return item;
    }

    private static DicomDataset Participant(DicomSrParticipant p, DicomCharacterSet cs)
    {
        var item = Observer(p.Observer, cs);
        item.AddOrUpdate(DicomTags.ParticipationType, DicomVR.CS, p.Type switch
        {
            DicomParticipationType.Source => "SOURCE",
            DicomParticipationType.Enterer => "ENT",
            _ => "ATTEST",
        });
        if (p.DateTime is { } when) item.AddOrUpdate(DicomTags.ParticipationDateTime, DicomVR.DT, DicomDateTime.FormatDateTime(when));
        else SrText.SetEmpty(item, DicomTags.ParticipationDateTime, DicomVR.DT); // Type 2
        return item;
    }

    // Hierarchical SOP Instance Reference Macro (PS3.3 Table C.17-3): study → series → instances, order kept.
    private static DicomSequence Hierarchical(DicomTag tag, IEnumerable<DicomHierarchicalSopReference> references)
    {
        var studies = new List<DicomDataset>();
        foreach (var study in references.GroupBy(r => r.StudyInstanceUid))
        {
            var studyItem = new DicomDataset();
            SrText.SetUid(studyItem, DicomTags.StudyInstanceUID, study.Key);
            var series = new List<DicomDataset>();
            foreach (var s in study.GroupBy(r => r.SeriesInstanceUid))
            {
                var seriesItem = new DicomDataset();
                SrText.SetUid(seriesItem, DicomTags.SeriesInstanceUID, s.Key);
                seriesItem.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSOPSequence, s.DistinctBy(r => r.SopInstanceUid).Select(r =>
                {
                    var sop = new DicomDataset();
                    SrText.SetUid(sop, DicomTags.ReferencedSOPClassUID, r.SopClassUid);
                    SrText.SetUid(sop, DicomTags.ReferencedSOPInstanceUID, r.SopInstanceUid);
                    return sop;
                })));
                series.Add(seriesItem);
            }
            studyItem.AddOrUpdate(new DicomSequence(DicomTags.ReferencedSeriesSequence, series));
            studies.Add(studyItem);
        }
        return new DicomSequence(tag, studies);
    }
}
