using EdgeCancer.Dicom;
using EdgeCancer.Dicom.IO;
using EdgeCancer.Inference.Synthesis;

namespace EdgeCancer.Inference.Tests.Inference;

/// <summary>Synthetic CT slices as DICOM files, from seeds neither training (1001…) nor held-out (2002…) use.</summary>
internal static class SyntheticImages
{
    public static CtPhantom Phantom(BodyRegionChoice body, long seed = 77, LesionMode lesions = LesionMode.None, double intercept = 0) =>
        new(new CtPhantomOptions { Seed = seed, Slices = 64, Body = body, Lesions = lesions, RescaleIntercept = intercept }, 0);

    /// <summary>Slice <paramref name="index"/> as an in-memory file in Explicit VR Little Endian.</summary>
    public static DicomFile Slice(CtPhantom phantom, int index)
    {
        var file = new DicomFile(CtSeriesWriter.CreateSliceDataset(phantom, index));
        file.EnsureFileMetaInfo(DicomTransferSyntax.ExplicitVRLittleEndian);
        return file;
    }

    /// <summary>Saves and re-opens, as the archive would.</summary>
    public static DicomFile SaveAndOpen(DicomFile file, string path)
    {
        file.Save(path);
        return DicomFile.Open(path);
    }
}
