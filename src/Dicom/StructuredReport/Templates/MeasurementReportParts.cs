using System.Globalization;

namespace EdgeCancer.Dicom.StructuredReport.Templates;

/// <summary>The pieces of TID 1500 that the three documents share (SR.md §2.3 rows 1-14, §6).</summary>
internal static class MeasurementReportParts
{
    private const DicomRelationshipType Contains = DicomRelationshipType.Contains;
    private const DicomRelationshipType ObsContext = DicomRelationshipType.HasObsContext;
    private const DicomRelationshipType ConceptMod = DicomRelationshipType.HasConceptMod;

    /// <summary>Root CONTAINER (126000) with template DCMR 1500 and the language row (TID 1204).</summary>
    public static DicomContainerItem Root()
    {
        var root = new DicomContainerItem(null, SrCodes.ImagingMeasurementReport, DicomContentTemplate.Dcmr("1500"));
        root.Add(new DicomCodeItem(ConceptMod, SrCodes.LanguageOfContent, SrCodes.EnglishUnitedStates));
        return root;
    }

    /// <summary>TID 1002 with Observer Type Device, then TID 1004 rows (SR.md §2.3 rows 3-8).</summary>
    public static void AddDeviceObserver(DicomContentItem root, AiDeviceInfo device)
    {
        root.Add(
            new DicomCodeItem(ObsContext, SrCodes.ObserverType, SrCodes.Device),
            new DicomUidRefItem(ObsContext, SrCodes.DeviceObserverUid, device.DeviceUid),
            new DicomTextItem(ObsContext, SrCodes.DeviceObserverName, device.Name),
            new DicomTextItem(ObsContext, SrCodes.DeviceObserverManufacturer, device.Manufacturer),
            new DicomTextItem(ObsContext, SrCodes.DeviceObserverModelName, device.ModelName));
        if (device.SerialNumber is { Length: > 0 } serial)
            root.Add(new DicomTextItem(ObsContext, SrCodes.DeviceObserverSerialNumber, serial));
    }

    /// <summary>TID 1002 with Observer Type Person, then TID 1003 rows (SR.md §2.6).</summary>
    public static void AddPersonObserver(DicomContentItem root, DicomPersonName name, string? organization)
    {
        root.Add(
            new DicomCodeItem(ObsContext, SrCodes.ObserverType, SrCodes.Person),
            new DicomPersonNameItem(ObsContext, SrCodes.PersonObserverName, name));
        if (organization is { Length: > 0 }) root.Add(new DicomTextItem(ObsContext, SrCodes.PersonObserverOrganization, organization));
    }

    /// <summary>Procedure reported (row 9): the imaged procedure, not the algorithm (IHE AIR).</summary>
    public static void AddProcedureReported(DicomContentItem root) =>
        root.Add(new DicomCodeItem(ConceptMod, SrCodes.ProcedureReported, SrCodes.CtUnspecifiedBodyRegion));

    /// <summary>Image Library (TID 1600) with one group holding the images (rows 10-13).</summary>
    public static void AddImageLibrary(DicomContentItem root, IEnumerable<DicomSopReference> images, string? modality)
    {
        var group = new DicomContainerItem(Contains, SrCodes.ImageLibraryGroup);
        if (modality == "CT") group.Add(new DicomCodeItem(DicomRelationshipType.HasAcqContext, SrCodes.Modality, SrCodes.ComputedTomography));
        foreach (var image in images) group.Add(new DicomImageItem(Contains, null, image));
        root.Add(new DicomContainerItem(Contains, SrCodes.ImageLibrary).Add(group));
    }

    /// <summary>Imaging Measurements container (row 14); groups are added to it.</summary>
    public static DicomContainerItem AddImagingMeasurements(DicomContentItem root)
    {
        var measurements = new DicomContainerItem(Contains, SrCodes.ImagingMeasurements);
        root.Add(measurements);
        return measurements;
    }

    /// <summary>A TID 1501 Measurement Group with its tracking identifier and UID (rows 15-17).</summary>
    public static DicomContainerItem MeasurementGroup(string trackingIdentifier, DicomUid trackingUid) =>
        (DicomContainerItem)new DicomContainerItem(Contains, SrCodes.MeasurementGroup, DicomContentTemplate.Dcmr("1501")).Add(
            new DicomTextItem(ObsContext, SrCodes.TrackingIdentifier, trackingIdentifier),
            new DicomUidRefItem(ObsContext, SrCodes.TrackingUniqueIdentifier, trackingUid));

    /// <summary>
    /// TID 4019 rows in their significant order: name, version, parameters (the caller's first, then the model's,
    /// then "sha256=…"), family.
    /// </summary>
    public static void AddAlgorithmIdentification(DicomContentItem group, AiModelInfo model, params string[] parameters)
    {
        group.Add(
            new DicomTextItem(ConceptMod, SrCodes.AlgorithmName, model.Name),
            new DicomTextItem(ConceptMod, SrCodes.AlgorithmVersion, model.Version));
        foreach (var p in parameters.Concat(model.Parameters).Append("sha256=" + model.Sha256))
            group.Add(new DicomTextItem(ConceptMod, SrCodes.AlgorithmParameters, p));
        group.Add(new DicomCodeItem(ConceptMod, SrCodes.AlgorithmFamily, SrCodes.ArtificialIntelligence));
    }

    /// <summary>A probability 0..1 as a percentage NUM value with one decimal, as in SR.md §6 ("97.2").</summary>
    public static DicomNumItem Percentage(DicomRelationshipType relationship, DicomCodedEntry concept, double probability)
    {
        if (double.IsNaN(probability) || probability < 0 || probability > 1)
            throw new ArgumentOutOfRangeException(nameof(probability), probability, $"{concept.Meaning}: a probability must be between 0 and 1.");
        double percent = Math.Round(probability * 100, 1, MidpointRounding.AwayFromZero);
        return new DicomNumItem(relationship, concept, percent, SrCodes.Percent, percent.ToString("0.0##", CultureInfo.InvariantCulture));
    }

    /// <summary>A threshold as written in Algorithm Parameters, e.g. "0.50".</summary>
    public static string Threshold(double value) => value.ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>Contributing Equipment item for a model (SR.md §2.5).</summary>
    public static DicomContributingEquipment Contributing(AiModelInfo model, AiDeviceInfo device) =>
        new(device.Manufacturer, model.Name, model.Version) { Purpose = SrCodes.ProcessingEquipment, Description = "sha256=" + model.Sha256 };

    /// <summary>The reference of a source image dataset.</summary>
    public static DicomHierarchicalSopReference Reference(DicomDataset image) => DicomHierarchicalSopReference.FromDataset(image);

    /// <summary>The source's Instance Number, or <paramref name="fallback"/>.</summary>
    public static int InstanceNumber(DicomDataset image, int fallback) =>
        image.TryGetSingleValue<int>(DicomTags.InstanceNumber, out var n) ? n : fallback;

    /// <summary>The source's Modality, or null.</summary>
    public static string? Modality(DicomDataset image) => SrText.Get(image, DicomTags.Modality);
}
