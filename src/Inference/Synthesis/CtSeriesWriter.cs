using System.Globalization;
using System.Runtime.InteropServices;
using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;

namespace EdgeCancer.Inference.Synthesis;

/// <summary>
/// Writes a phantom's series as CT Image Storage files (PS3.3 A.3, Explicit VR Little Endian) with our own
/// <see cref="DicomFile"/> writer, plus <c>labels.json</c>.
/// Pixel scheme: 16 bits allocated and stored, high bit 15, signed (Pixel Representation 1), MONOCHROME2;
/// HU = stored × 1 + Rescale Intercept (0 by default, so stored values are HU; −1024 also supported).
/// </summary>
public static class CtSeriesWriter
{
    private const double ReferenceMilliampereSeconds = 200;

    /// <summary>Writes every slice of <paramref name="phantom"/> into <paramref name="seriesDirectory"/> (created) and
    /// returns the labels, which are also saved there. Slices are rendered in parallel; output does not depend on the order.</summary>
    public static SeriesLabels Write(CtPhantom phantom, string seriesDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(seriesDirectory);
        var identity = PhantomIdentity.For(phantom);
        var template = CreateSeriesTemplate(phantom, identity);
        var g = phantom.Geometry;
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.For(0, g.Slices, options, () => new float[g.Rows * g.Columns], (i, _, scratch) =>
        {
            var file = new DicomFile(CreateSlice(phantom, identity, template, i, scratch));
            file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian);
            file.Save(Path.Combine(seriesDirectory, FileName(i)));
            return scratch;
        }, _ => { });

        var labels = CreateLabels(phantom, identity);
        labels.Save(Path.Combine(seriesDirectory, SeriesLabels.FileName));
        return labels;
    }

    /// <summary>File name of slice <paramref name="index"/> (0-based): the instance number, four digits.</summary>
    public static string FileName(int index) => (index + 1).ToString("D4", CultureInfo.InvariantCulture) + ".dcm";

    /// <summary>The complete dataset of one slice, pixel data included.</summary>
    public static DicomDataset CreateSliceDataset(CtPhantom phantom, int index)
    {
        var identity = PhantomIdentity.For(phantom);
        var g = phantom.Geometry;
        return CreateSlice(phantom, identity, CreateSeriesTemplate(phantom, identity), index, new float[g.Rows * g.Columns]);
    }

    /// <summary>The labels of the series (no files written).</summary>
    public static SeriesLabels CreateLabels(CtPhantom phantom, PhantomIdentity identity)
    {
        var g = phantom.Geometry;
        var slices = new List<SliceLabel>(g.Slices);
        for (int i = 0; i < g.Slices; i++)
        {
            double z = g.Z(i);
            var cut = phantom.LesionsAt(z);
            slices.Add(new SliceLabel(i + 1, FileName(i), identity.SopInstanceUid(i).Value, z, cut.Count > 0, cut.Any(l => l.MalignantLooking),
                [.. cut.Select(l => l.Id)], [.. cut.Select(l => Math.Round(l.SectionDiameterAt(z), 2))]));
        }
        return new SeriesLabels(SeriesLabels.SchemaName, phantom.Options.Seed, phantom.PatientIndex, identity.PatientId, identity.PatientName,
            identity.StudyInstanceUid.Value, identity.SeriesInstanceUid.Value, phantom.Region, phantom.IsMalignant, phantom.Lesions.Count > 0,
            g.SliceThickness, g.SliceSpacing, g.PixelSpacing, phantom.Options.RescaleIntercept, phantom.DoseFactor, Math.Round(phantom.NoiseSigma, 3),
            phantom.Lesions, slices);
    }

    private static DicomDataset CreateSlice(CtPhantom phantom, PhantomIdentity identity, DicomDataset template, int index, float[] scratch)
    {
        var g = phantom.Geometry;
        var bytes = new byte[g.Rows * g.Columns * 2];
        var stored = MemoryMarshal.Cast<byte, short>(bytes.AsSpan());
        phantom.RenderStoredSlice(index, stored, scratch);
        if (!BitConverter.IsLittleEndian)
            for (int i = 0; i < stored.Length; i++) stored[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(stored[i]);

        var ds = template.Clone();
        double z = g.Z(index);
        ds.AddOrUpdate(DicomTags.SOPInstanceUID, identity.SopInstanceUid(index).Value);
        ds.AddOrUpdate(DicomTags.InstanceNumber, index + 1);
        ds.AddOrUpdate(DicomTags.ImagePositionPatient, g.OriginX, g.OriginY, z);
        ds.AddOrUpdate(DicomTags.SliceLocation, z);
        ds.AddOrUpdateBytes(DicomTags.PixelData, DicomVR.OW, bytes);
        return ds;
    }

    /// <summary>Everything that is the same for every slice of the series.</summary>
    private static DicomDataset CreateSeriesTemplate(CtPhantom phantom, PhantomIdentity id)
    {
        var g = phantom.Geometry;
        var region = phantom.Region;
        string bodyPart = region.ToString().ToUpperInvariant();
        var acquired = id.StudyTime.Add(TimeSpan.FromMinutes(3));
        var created = id.StudyTime.Add(TimeSpan.FromMinutes(5));
        int mAs = (int)Math.Round(ReferenceMilliampereSeconds * phantom.DoseFactor);
        var ds = new DicomDataset();

        // SOP Common (C.12.1)
        ds.AddOrUpdate(DicomTags.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomUids.CTImageStorage.Value);
        ds.AddOrUpdate(DicomTags.InstanceCreationDate, id.StudyDate);
        ds.AddOrUpdate(DicomTags.InstanceCreationTime, created);

        // Patient (C.7.1.1) and Patient Study (C.7.2.2)
        ds.AddOrUpdate(DicomTags.PatientName, id.PatientName);
        ds.AddOrUpdate(DicomTags.PatientID, id.PatientId);
        ds.AddOrUpdate(DicomTags.PatientBirthDate, id.BirthDate);
        ds.AddOrUpdate(DicomTags.PatientSex, id.Sex);
        ds.AddOrUpdate(DicomTags.PatientAge, id.AgeYears.ToString("D3", CultureInfo.InvariantCulture) + "Y");

        // General Study (C.7.2.1)
        ds.AddOrUpdate(DicomTags.StudyInstanceUID, id.StudyInstanceUid.Value);
        ds.AddOrUpdate(DicomTags.StudyDate, id.StudyDate);
        ds.AddOrUpdate(DicomTags.StudyTime, id.StudyTime);
        ds.AddOrUpdate(DicomTags.ReferringPhysicianName, "SYNTHETIC^REFERRER");
        ds.AddOrUpdate(DicomTags.StudyID, id.StudyId);
        ds.AddOrUpdate(DicomTags.AccessionNumber, id.AccessionNumber);
        ds.AddOrUpdate(DicomTags.StudyDescription, $"CT {bodyPart} (synthetic phantom)");

        // General Series (C.7.3.1)
        ds.AddOrUpdate(DicomTags.Modality, "CT");
        ds.AddOrUpdate(DicomTags.SeriesInstanceUID, id.SeriesInstanceUid.Value);
        ds.AddOrUpdate(DicomTags.SeriesNumber, id.SeriesNumber);
        ds.AddOrUpdate(DicomTags.SeriesDate, id.StudyDate);
        ds.AddOrUpdate(DicomTags.SeriesTime, acquired);
        ds.AddOrUpdate(DicomTags.SeriesDescription, $"{Title(region)} axial {g.SliceThickness.ToString("0.###", CultureInfo.InvariantCulture)} mm");
        ds.AddOrUpdate(DicomTags.ProtocolName, $"{Title(region)} routine");
        ds.AddOrUpdate(DicomTags.BodyPartExamined, bodyPart);
        ds.AddOrUpdate(DicomTags.PatientPosition, "HFS");

        // Frame of Reference (C.7.4.1): empty Position Reference Indicator (Type 2), as most scanners send.
        ds.AddOrUpdate(DicomTags.FrameOfReferenceUID, id.FrameOfReferenceUid.Value);
        ds.AddOrUpdate(DicomTags.PositionReferenceIndicator, "");

        // General Equipment (C.7.5.1)
        ds.AddOrUpdate(DicomTags.Manufacturer, "EdgeCancer");
        ds.AddOrUpdate(DicomTags.InstitutionName, "EdgeCancer Synthetic Data");
        ds.AddOrUpdate(DicomTags.StationName, "SYNTH01");
        ds.AddOrUpdate(DicomTags.ManufacturerModelName, "Synthetic CT Phantom");
        ds.AddOrUpdate(DicomTags.DeviceSerialNumber, "0001");
        ds.AddOrUpdate(DicomTags.SoftwareVersions, "edgecancer-synth 1");

        // General Acquisition (C.7.10.1) and General Image (C.7.6.1)
        ds.AddOrUpdate(DicomTags.AcquisitionNumber, 1);
        ds.AddOrUpdate(DicomTags.AcquisitionDate, id.StudyDate);
        ds.AddOrUpdate(DicomTags.AcquisitionTime, acquired);
        ds.AddOrUpdate(DicomTags.ContentDate, id.StudyDate);
        ds.AddOrUpdate(DicomTags.ContentTime, created);
        ds.AddOrUpdate(DicomTags.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.AddOrUpdate(DicomTags.BurnedInAnnotation, "NO");
        ds.AddOrUpdate(DicomTags.LossyImageCompression, "00");

        // Image Plane (C.7.6.2); position and slice location are per slice.
        ds.AddOrUpdate(DicomTags.ImageOrientationPatient, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0);
        ds.AddOrUpdate(DicomTags.PixelSpacing, g.PixelSpacing, g.PixelSpacing);
        ds.AddOrUpdate(DicomTags.SliceThickness, g.SliceThickness);

        // Image Pixel (C.7.6.3) with the CT Image constraints (C.8.2.1.1).
        ds.AddOrUpdate(DicomTags.SamplesPerPixel, (ushort)1);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(DicomTags.Rows, (ushort)g.Rows);
        ds.AddOrUpdate(DicomTags.Columns, (ushort)g.Columns);
        ds.AddOrUpdate(DicomTags.BitsAllocated, (ushort)16);
        ds.AddOrUpdate(DicomTags.BitsStored, (ushort)16);
        ds.AddOrUpdate(DicomTags.HighBit, (ushort)15);
        ds.AddOrUpdate(DicomTags.PixelRepresentation, (ushort)1);

        // CT Image (C.8.2.1): acquisition parameters of a routine helical scan at 120 kV.
        ds.AddOrUpdate(DicomTags.ScanOptions, "HELICAL MODE");
        ds.AddOrUpdate(DicomTags.KVP, 120.0);
        ds.AddOrUpdate(DicomTags.DataCollectionDiameter, 500.0);
        ds.AddOrUpdate(DicomTags.ReconstructionDiameter, g.PixelSpacing * g.Columns);
        ds.AddOrUpdate(DicomTags.DistanceSourceToDetector, 1040.0);
        ds.AddOrUpdate(DicomTags.DistanceSourceToPatient, 570.0);
        ds.AddOrUpdate(DicomTags.GantryDetectorTilt, 0.0);
        ds.AddOrUpdate(DicomTags.TableHeight, 160.0);
        ds.AddOrUpdate(DicomTags.RotationDirection, "CW");
        ds.AddOrUpdate(DicomTags.ExposureTime, 500);
        ds.AddOrUpdate(DicomTags.XRayTubeCurrent, mAs * 2);
        ds.AddOrUpdate(DicomTags.Exposure, mAs);
        ds.AddOrUpdate(DicomTags.FilterType, region == BodyRegion.Head ? "HEAD FILTER" : "BODY FILTER");
        ds.AddOrUpdate(DicomTags.ConvolutionKernel, region == BodyRegion.Chest ? "LUNG" : "STANDARD");
        ds.AddOrUpdate(DicomTags.CTDIvol, Math.Round((region == BodyRegion.Head ? 55.0 : 13.0) * phantom.DoseFactor, 2));
        // CTDIvol is interpretable only with its phantom (C.8.2.1): CID 4052 IEC Head (16 cm) or Body (32 cm) Dosimetry Phantom.
        var phantomCode = new DicomDataset()
            .AddOrUpdate(DicomTags.CodeValue, region == BodyRegion.Head ? "113690" : "113691")
            .AddOrUpdate(DicomTags.CodingSchemeDesignator, "DCM")
            .AddOrUpdate(DicomTags.CodeMeaning, region == BodyRegion.Head ? "IEC Head Dosimetry Phantom" : "IEC Body Dosimetry Phantom");
        ds.AddOrUpdate(new DicomSequence(DicomTags.CTDIPhantomTypeCodeSequence, phantomCode));
        ds.AddOrUpdate(DicomTags.RescaleIntercept, phantom.Options.RescaleIntercept);
        ds.AddOrUpdate(DicomTags.RescaleSlope, 1.0);
        ds.AddOrUpdate(DicomTags.RescaleType, "HU");

        // VOI LUT (C.11.2): window presets in HU, first is the default.
        var (centers, widths, names) = WindowPresets(region);
        ds.AddOrUpdate(DicomTags.WindowCenter, centers);
        ds.AddOrUpdate(DicomTags.WindowWidth, widths);
        ds.AddOrUpdate(DicomTags.WindowCenterWidthExplanation, names);
        return ds;
    }

    /// <summary>
    /// Window presets: chest lung (−600/1500) then mediastinum (50/350); head brain (40/80) then bone (600/2800);
    /// abdomen soft tissue (40/400) then liver (60/160). Values are in rescaled units (HU), PS3.3 C.11.2.1.2.
    /// </summary>
    public static (double[] Centers, double[] Widths, string[] Names) WindowPresets(BodyRegion region) => region switch
    {
        BodyRegion.Chest => ([-600, 50], [1500, 350], ["LUNG", "MEDIASTINUM"]),
        BodyRegion.Head => ([40, 600], [80, 2800], ["BRAIN", "BONE"]),
        _ => ([40, 60], [400, 160], ["ABDOMEN", "LIVER"]),
    };

    private static string Title(BodyRegion region) => region switch
    {
        BodyRegion.Chest => "Chest",
        BodyRegion.Head => "Head",
        _ => "Abdomen",
    };
}
