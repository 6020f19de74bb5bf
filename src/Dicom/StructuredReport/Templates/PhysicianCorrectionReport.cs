namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>A physician's correction of a per-image AI result (SR.md §2.9, §6.3).</summary>
public sealed record PhysicianCorrection
{
    /// <summary>The image the AI result was about.</summary>
    public required DicomDataset SourceImage { get; init; }

    /// <summary>The AI SR being corrected (Predecessor Documents Sequence).</summary>
    public required DicomHierarchicalSopReference AiReport { get; init; }

    /// <summary>The AI body-part group's Tracking Unique Identifier, reused so consumers can pair the two.</summary>
    public required DicomUid BodyPartTrackingUid { get; init; }

    /// <summary>The corrected body-part label.</summary>
    public required string CorrectedBodyPartLabel { get; init; }

    /// <summary>The AI malignancy group's Tracking Unique Identifier, when the malignancy decision is corrected too.</summary>
    public DicomUid? MalignancyTrackingUid { get; init; }

    /// <summary>The corrected malignancy decision (requires <see cref="MalignancyTrackingUid"/>); null to leave it out.</summary>
    public bool? SuspiciousForMalignancy { get; init; }

    /// <summary>The correcting physician (TID 1003 person observer, Author Observer).</summary>
    public required DicomPersonName Physician { get; init; }

    /// <summary>The physician's organization (Verifying Organization when signed).</summary>
    public required string Organization { get; init; }

    /// <summary>True when the physician signs: COMPLETE / VERIFIED / FINAL with a Verifying Observer; otherwise COMPLETE / UNVERIFIED.</summary>
    public bool Signed { get; init; } = true;

    /// <summary>The AI node that produced the corrected result (Participant, type SOURCE).</summary>
    public required AiDeviceInfo AiDevice { get; init; }

    /// <summary>The reviewing application's equipment (General Equipment of the review series).</summary>
    public required DicomSrEquipment ReviewerEquipment { get; init; }

    /// <summary>The review series.</summary>
    public required SrSeriesInfo Series { get; init; }

    /// <summary>Instance Number in the review series.</summary>
    public int InstanceNumber { get; init; } = 1;

    /// <summary>Content Date/Time, also the Verification DateTime when signed.</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>The document's SOP Instance UID.</summary>
    public DicomUid SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>SOP Class: Comprehensive 3D SR, or Comprehensive SR.</summary>
    public DicomUid SopClassUid { get; init; } = DicomUids.Comprehensive3DSRStorage;
}

/// <summary>
/// The physician correction document: a new instance with a person observer, the corrected coded values in groups
/// that reuse the AI groups' tracking UIDs, and no AI probabilities or TID 4019 rows (which would be attributed to
/// the person) (SR.md §2.9).
/// </summary>
public static class PhysicianCorrectionReport
{
    /// <summary>Builds the document dataset.</summary>
    public static DicomDataset Build(PhysicianCorrection input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.SuspiciousForMalignancy is not null && input.MalignancyTrackingUid is null)
            throw new ArgumentException("MalignancyTrackingUid is required to correct the malignancy decision.", nameof(input));
        var source = MeasurementReportParts.Reference(input.SourceImage);
        var image = source.Instance;

        var root = MeasurementReportParts.Root();
        MeasurementReportParts.AddPersonObserver(root, input.Physician, input.Organization);
        MeasurementReportParts.AddProcedureReported(root);
        MeasurementReportParts.AddImageLibrary(root, [image], MeasurementReportParts.Modality(input.SourceImage));
        var measurements = MeasurementReportParts.AddImagingMeasurements(root);
        measurements.Add(MeasurementReportParts.MeasurementGroup(AiImageReport.BodyPartTrackingIdentifier, input.BodyPartTrackingUid).Add(
            new DicomImageItem(DicomRelationshipType.Contains, SrCodes.SourceOfMeasurement, image),
            new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.TargetRegion, SrCodes.RegionForLabel(input.CorrectedBodyPartLabel))));
        if (input.SuspiciousForMalignancy is { } suspicious)
        {
            measurements.Add(MeasurementReportParts.MeasurementGroup(AiImageReport.MalignancyTrackingIdentifier, input.MalignancyTrackingUid!.Value).Add(
                new DicomImageItem(DicomRelationshipType.Contains, SrCodes.SourceOfMeasurement, image),
                new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.SuspiciousForMalignancy, suspicious ? SrCodes.Yes : SrCodes.No)));
        }

        var d = input.AiDevice;
        return new DicomStructuredReportDocument
        {
            Source = input.SourceImage,
            Content = root,
            SopClassUid = input.SopClassUid,
            SopInstanceUid = input.SopInstanceUid,
            SeriesInstanceUid = input.Series.SeriesInstanceUid,
            SeriesNumber = input.Series.SeriesNumber,
            SeriesDescription = input.Series.Description,
            InstanceNumber = input.InstanceNumber,
            ContentDateTime = input.ContentDateTime,
            Completion = DicomCompletionFlag.Complete,
            Verification = input.Signed ? DicomVerificationFlag.Verified : DicomVerificationFlag.Unverified,
            Preliminary = input.Signed ? DicomPreliminaryFlag.Final : null,
            VerifyingObservers = input.Signed ? [new DicomVerifyingObserver(input.Physician, input.Organization, input.ContentDateTime)] : [],
            AuthorObservers = [DicomSrObserver.Person(input.Physician, input.Organization)],
            Participants = [new DicomSrParticipant(DicomParticipationType.Source,
                DicomSrObserver.Device(d.DeviceUid, d.Manufacturer, d.ModelName, d.StationName ?? (d.Name.Length <= 16 ? d.Name : null), d.InstitutionName))],
            PredecessorDocuments = [input.AiReport],
            Evidence = [source],
            Equipment = input.ReviewerEquipment,
            CodingSchemes = [SrCodes.LocalSchemeDeclaration],
        }.Build();
    }
}
