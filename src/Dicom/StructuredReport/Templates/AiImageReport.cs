namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>The AI result for one image: what the per-image SR records (SR.md §2.3).</summary>
public sealed record AiImageResult
{
    /// <summary>The analysed image; its Patient/Study attributes are copied and it is referenced and listed as evidence.</summary>
    public required DicomDataset SourceImage { get; init; }

    /// <summary>The body-part classifier's label ("chest", "head", "abdomen", "other", …), mapped by <see cref="SrCodes.RegionForLabel"/>.</summary>
    public required string BodyPartLabel { get; init; }

    /// <summary>P(chest), 0..1; written as a percentage whatever the label (SR.md §2.3 row 24).</summary>
    public required double ChestProbability { get; init; }

    /// <summary>The body-part decision threshold (Algorithm Parameters "threshold=0.50").</summary>
    public double BodyPartThreshold { get; init; } = 0.5;

    /// <summary>The body-part model.</summary>
    public required AiModelInfo BodyPartModel { get; init; }

    /// <summary>P(malignancy), 0..1; null when the model was not run (e.g. a non-chest image) — the NUM is then written empty with "Measurement not attempted".</summary>
    public double? MalignancyProbability { get; init; }

    /// <summary>The malignancy operating threshold; the Yes/No decision is probability ≥ threshold.</summary>
    public required double MalignancyThreshold { get; init; }

    /// <summary>The malignancy model (recorded even when it was not run, so the reader knows which model declined).</summary>
    public required AiModelInfo MalignancyModel { get; init; }

    /// <summary>The node.</summary>
    public required AiDeviceInfo Device { get; init; }

    /// <summary>The per-image SR series ("AI results per image").</summary>
    public required SrSeriesInfo Series { get; init; }

    /// <summary>When inference started (Content Date/Time).</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>The document's SOP Instance UID.</summary>
    public DicomUid SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Tracking Unique Identifier of the body-part group; a correction reuses it.</summary>
    public DicomUid BodyPartTrackingUid { get; init; } = DicomUid.Generate();

    /// <summary>Tracking Unique Identifier of the malignancy group.</summary>
    public DicomUid MalignancyTrackingUid { get; init; } = DicomUid.Generate();

    /// <summary>SOP Class: Comprehensive 3D SR, or Comprehensive SR for archives without 88.34.</summary>
    public DicomUid SopClassUid { get; init; } = DicomUids.Comprehensive3DSRStorage;

    /// <summary>Write Preliminary Flag PRELIMINARY (SR.md §2.8).</summary>
    public bool Preliminary { get; init; } = true;
}

/// <summary>The per-image AI result document: TID 1500 with a body-part group and a malignancy group (SR.md §2.3, §6.1).</summary>
public static class AiImageReport
{
    /// <summary>Tracking Identifier of the body-part group.</summary>
    public const string BodyPartTrackingIdentifier = "Body part classification";

    /// <summary>Tracking Identifier of the malignancy group.</summary>
    public const string MalignancyTrackingIdentifier = "Malignancy suspicion";

    /// <summary>Builds the document dataset.</summary>
    public static DicomDataset Build(AiImageResult input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var source = MeasurementReportParts.Reference(input.SourceImage);
        var image = source.Instance;

        var root = MeasurementReportParts.Root();
        MeasurementReportParts.AddDeviceObserver(root, input.Device);
        MeasurementReportParts.AddProcedureReported(root);
        MeasurementReportParts.AddImageLibrary(root, [image], MeasurementReportParts.Modality(input.SourceImage));
        var measurements = MeasurementReportParts.AddImagingMeasurements(root);

        var region = SrCodes.RegionForLabel(input.BodyPartLabel);
        var bodyPart = MeasurementReportParts.MeasurementGroup(BodyPartTrackingIdentifier, input.BodyPartTrackingUid);
        MeasurementReportParts.AddAlgorithmIdentification(bodyPart, input.BodyPartModel, "threshold=" + MeasurementReportParts.Threshold(input.BodyPartThreshold));
        bodyPart.Add(
            new DicomImageItem(DicomRelationshipType.Contains, SrCodes.SourceOfMeasurement, image),
            new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.TargetRegion, region),
            MeasurementReportParts.Percentage(DicomRelationshipType.Contains, SrCodes.Probability, input.ChestProbability)
                .Add(new DicomCodeItem(DicomRelationshipType.HasConceptMod, SrCodes.TargetRegion, SrCodes.Chest)));
        measurements.Add(bodyPart);

        var malignancy = MeasurementReportParts.MeasurementGroup(MalignancyTrackingIdentifier, input.MalignancyTrackingUid);
        MeasurementReportParts.AddAlgorithmIdentification(malignancy, input.MalignancyModel, "operating_threshold=" + MeasurementReportParts.Threshold(input.MalignancyThreshold));
        malignancy.Add(new DicomImageItem(DicomRelationshipType.Contains, SrCodes.SourceOfMeasurement, image));
        if (input.MalignancyProbability is { } p)
        {
            malignancy.Add(
                new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.SuspiciousForMalignancy, p >= input.MalignancyThreshold ? SrCodes.Yes : SrCodes.No),
                MeasurementReportParts.Percentage(DicomRelationshipType.Contains, SrCodes.ProbabilityOfCancer, p));
        }
        else
        {
            malignancy.Add(DicomNumItem.NotMeasured(DicomRelationshipType.Contains, SrCodes.ProbabilityOfCancer, SrCodes.MeasurementNotAttempted));
        }
        measurements.Add(malignancy);

        return new DicomStructuredReportDocument
        {
            Source = input.SourceImage,
            Content = root,
            SopClassUid = input.SopClassUid,
            SopInstanceUid = input.SopInstanceUid,
            SeriesInstanceUid = input.Series.SeriesInstanceUid,
            SeriesNumber = input.Series.SeriesNumber,
            SeriesDescription = input.Series.Description,
            InstanceNumber = MeasurementReportParts.InstanceNumber(input.SourceImage, 1),
            ContentDateTime = input.ContentDateTime,
            Completion = DicomCompletionFlag.Complete,
            Verification = DicomVerificationFlag.Unverified,
            Preliminary = input.Preliminary ? DicomPreliminaryFlag.Preliminary : null,
            Evidence = [source],
            Equipment = input.Device.ToEquipment(),
            ContributingEquipment = [MeasurementReportParts.Contributing(input.BodyPartModel, input.Device), MeasurementReportParts.Contributing(input.MalignancyModel, input.Device)],
            CodingSchemes = [SrCodes.LocalSchemeDeclaration],
        }.Build();
    }
}
