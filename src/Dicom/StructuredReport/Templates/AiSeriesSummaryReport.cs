namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>The malignancy part of a series summary: the maximum over the series and the image it came from.</summary>
/// <param name="MaxProbability">The largest P(malignancy) over the series' images, 0..1.</param>
/// <param name="MaxImage">The image with that probability (INFERRED FROM, SR.md §2.4).</param>
/// <param name="ImageCount">How many images the maximum was taken over.</param>
public sealed record AiSeriesMalignancy(double MaxProbability, DicomHierarchicalSopReference MaxImage, int ImageCount);

/// <summary>What the series summary SR records (SR.md §2.4, §6.2).</summary>
public sealed record AiSeriesSummary
{
    /// <summary>One image of the series, whose Patient/Study attributes are copied.</summary>
    public required DicomDataset SourceImage { get; init; }

    /// <summary>Every analysed image of the series: listed as evidence and (up to <see cref="ImageLibraryLimit"/>) in the Image Library.</summary>
    public required IReadOnlyList<DicomHierarchicalSopReference> Images { get; init; }

    /// <summary>Cap on the Image Library's IMAGE entries (evidence always lists every image); null for no cap.</summary>
    public int? ImageLibraryLimit { get; init; }

    /// <summary>The series-level body-part label.</summary>
    public required string BodyPartLabel { get; init; }

    /// <summary>Mean P(chest) over the series, 0..1.</summary>
    public required double MeanChestProbability { get; init; }

    /// <summary>How many images the mean was taken over.</summary>
    public required int BodyPartImageCount { get; init; }

    /// <summary>The body-part decision threshold.</summary>
    public double BodyPartThreshold { get; init; } = 0.5;

    /// <summary>The body-part model.</summary>
    public required AiModelInfo BodyPartModel { get; init; }

    /// <summary>The malignancy aggregate; null when the series is not chest (the group is then left out).</summary>
    public AiSeriesMalignancy? Malignancy { get; init; }

    /// <summary>The malignancy operating threshold.</summary>
    public double MalignancyThreshold { get; init; } = 0.5;

    /// <summary>The malignancy model (required when <see cref="Malignancy"/> is set).</summary>
    public AiModelInfo? MalignancyModel { get; init; }

    /// <summary>A one-line human summary (Impression, in Qualitative Evaluations); omitted when null.</summary>
    public string? Impression { get; init; }

    /// <summary>An older summary of the same series that this one supersedes (Predecessor Documents Sequence).</summary>
    public DicomHierarchicalSopReference? Supersedes { get; init; }

    /// <summary>PARTIAL when emitted before the series is complete, with <see cref="CompletionDescription"/>.</summary>
    public DicomCompletionFlag Completion { get; init; } = DicomCompletionFlag.Complete;

    /// <summary>E.g. "120 of ≥143 images processed".</summary>
    public string? CompletionDescription { get; init; }

    /// <summary>The node.</summary>
    public required AiDeviceInfo Device { get; init; }

    /// <summary>The summary SR series ("AI series summary").</summary>
    public required SrSeriesInfo Series { get; init; }

    /// <summary>Instance Number: 1 for the first summary, 2, … for superseding ones.</summary>
    public int InstanceNumber { get; init; } = 1;

    /// <summary>Content Date/Time.</summary>
    public required DateTimeOffset ContentDateTime { get; init; }

    /// <summary>The document's SOP Instance UID.</summary>
    public DicomUid SopInstanceUid { get; init; } = DicomUid.Generate();

    /// <summary>Tracking Unique Identifier of the body-part group.</summary>
    public DicomUid BodyPartTrackingUid { get; init; } = DicomUid.Generate();

    /// <summary>Tracking Unique Identifier of the malignancy group.</summary>
    public DicomUid MalignancyTrackingUid { get; init; } = DicomUid.Generate();

    /// <summary>SOP Class: Comprehensive 3D SR, or Comprehensive SR.</summary>
    public DicomUid SopClassUid { get; init; } = DicomUids.Comprehensive3DSRStorage;
}

/// <summary>The series summary document: TID 1500 with aggregated groups and TID 300 Derivation (SR.md §2.4, §6.2).</summary>
public static class AiSeriesSummaryReport
{
    /// <summary>Tracking Identifier of the body-part group.</summary>
    public const string BodyPartTrackingIdentifier = "Series body part classification";

    /// <summary>Tracking Identifier of the malignancy group.</summary>
    public const string MalignancyTrackingIdentifier = "Series malignancy suspicion";

    /// <summary>Builds the document dataset.</summary>
    public static DicomDataset Build(AiSeriesSummary input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Images.Count == 0) throw new ArgumentException("A series summary needs at least one image.", nameof(input));
        if (input.Malignancy is not null && input.MalignancyModel is null) throw new ArgumentException("MalignancyModel is required when Malignancy is set.", nameof(input));

        var root = MeasurementReportParts.Root();
        MeasurementReportParts.AddDeviceObserver(root, input.Device);
        MeasurementReportParts.AddProcedureReported(root);
        var library = input.Images.Select(i => i.Instance);
        if (input.ImageLibraryLimit is { } limit) library = library.Take(limit);
        MeasurementReportParts.AddImageLibrary(root, library, MeasurementReportParts.Modality(input.SourceImage));
        var measurements = MeasurementReportParts.AddImagingMeasurements(root);

        var bodyPart = MeasurementReportParts.MeasurementGroup(BodyPartTrackingIdentifier, input.BodyPartTrackingUid);
        MeasurementReportParts.AddAlgorithmIdentification(bodyPart, input.BodyPartModel,
            $"aggregation=mean over {input.BodyPartImageCount} images", "threshold=" + MeasurementReportParts.Threshold(input.BodyPartThreshold));
        bodyPart.Add(
            new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.TargetRegion, SrCodes.RegionForLabel(input.BodyPartLabel)),
            MeasurementReportParts.Percentage(DicomRelationshipType.Contains, SrCodes.Probability, input.MeanChestProbability).Add(
                new DicomCodeItem(DicomRelationshipType.HasConceptMod, SrCodes.TargetRegion, SrCodes.Chest),
                new DicomCodeItem(DicomRelationshipType.HasConceptMod, SrCodes.Derivation, SrCodes.Mean)));
        measurements.Add(bodyPart);

        if (input.Malignancy is { } m)
        {
            var malignancy = MeasurementReportParts.MeasurementGroup(MalignancyTrackingIdentifier, input.MalignancyTrackingUid);
            MeasurementReportParts.AddAlgorithmIdentification(malignancy, input.MalignancyModel!,
                $"aggregation=max over {m.ImageCount} images", "operating_threshold=" + MeasurementReportParts.Threshold(input.MalignancyThreshold));
            malignancy.Add(
                new DicomCodeItem(DicomRelationshipType.Contains, SrCodes.SuspiciousForMalignancy, m.MaxProbability >= input.MalignancyThreshold ? SrCodes.Yes : SrCodes.No),
                MeasurementReportParts.Percentage(DicomRelationshipType.Contains, SrCodes.ProbabilityOfCancer, m.MaxProbability).Add(
                    new DicomCodeItem(DicomRelationshipType.HasConceptMod, SrCodes.Derivation, SrCodes.Maximum),
                    new DicomImageItem(DicomRelationshipType.InferredFrom, SrCodes.SourceOfMeasurement, m.MaxImage.Instance)));
            measurements.Add(malignancy);
        }

        if (input.Impression is { Length: > 0 } impression)
        {
            // TID 1500 row 12: Qualitative Evaluations takes CODE/TEXT only, never NUM (SR.md §2.4).
            root.Add(new DicomContainerItem(DicomRelationshipType.Contains, SrCodes.QualitativeEvaluations)
                .Add(new DicomTextItem(DicomRelationshipType.Contains, SrCodes.Impression, impression)));
        }

        var evidence = input.Images.ToList();
        if (input.Malignancy is { } mx && !evidence.Any(e => e.SopInstanceUid == mx.MaxImage.SopInstanceUid)) evidence.Add(mx.MaxImage);
        var models = new List<DicomContributingEquipment> { MeasurementReportParts.Contributing(input.BodyPartModel, input.Device) };
        if (input.Malignancy is not null) models.Add(MeasurementReportParts.Contributing(input.MalignancyModel!, input.Device));

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
            Completion = input.Completion,
            CompletionDescription = input.CompletionDescription,
            Verification = DicomVerificationFlag.Unverified,
            PredecessorDocuments = input.Supersedes is { } old ? [old] : [],
            Evidence = evidence,
            Equipment = input.Device.ToEquipment(),
            ContributingEquipment = models,
            CodingSchemes = [SrCodes.LocalSchemeDeclaration],
        }.Build();
    }
}
