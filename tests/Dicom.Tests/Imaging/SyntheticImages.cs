using EdgeCancer.Dicom.Imaging;

namespace EdgeCancer.Dicom.Tests.Imaging;

/// <summary>Builds small datasets with an Image Pixel Module for the pixel tests.</summary>
internal static class SyntheticImages
{
    public static DicomDataset Create(int rows, int columns, int bitsAllocated, int bitsStored, int pixelRepresentation,
        string photometric, byte[] pixels, int samplesPerPixel = 1, int planar = 0, int frames = 1, int? highBit = null)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate<ushort>(DicomTags.Rows, (ushort)rows);
        ds.AddOrUpdate<ushort>(DicomTags.Columns, (ushort)columns);
        ds.AddOrUpdate<ushort>(DicomTags.SamplesPerPixel, (ushort)samplesPerPixel);
        ds.AddOrUpdate<ushort>(DicomTags.BitsAllocated, (ushort)bitsAllocated);
        ds.AddOrUpdate<ushort>(DicomTags.BitsStored, (ushort)bitsStored);
        ds.AddOrUpdate<ushort>(DicomTags.HighBit, (ushort)(highBit ?? bitsStored - 1));
        ds.AddOrUpdate<ushort>(DicomTags.PixelRepresentation, (ushort)pixelRepresentation);
        ds.AddOrUpdate(DicomTags.PhotometricInterpretation, photometric);
        if (samplesPerPixel > 1) ds.AddOrUpdate<ushort>(DicomTags.PlanarConfiguration, (ushort)planar);
        if (frames > 1) ds.AddOrUpdate(DicomTags.NumberOfFrames, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.AddOrUpdateBytes(DicomTags.PixelData, bitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, pixels);
        return ds;
    }

    public static byte[] Words(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        return bytes;
    }

    public static DicomPixelData Pixels(DicomDataset ds) => DicomPixelData.Create(ds, DicomTransferSyntax.ExplicitVRLittleEndian);
}
