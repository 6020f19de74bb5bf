using static EdgeCancer.Dicom.Tests.IO.Codec;

namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 Table 6.2-1: binary numbers (US SS UL SL FL FD SV UV), AT, and the O* family are little-endian in memory.</summary>
[TestFixture, Category("Encoding")]
public sealed class BinaryValueTests
{
    private static readonly DicomTag Tag = new(0x0009, 0x1010);

    private static byte[] Set<T>(DicomVR vr, params T[] values)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(Tag, vr, values);
        Assert.That(ds.GetValues<T>(Tag), Is.EqualTo(values), $"{vr} typed values read back");
        return ds.GetElement(Tag).Buffer.Memory.ToArray();
    }

    [Test] public void US_values() => Assert.That(ToHex(Set(DicomVR.US, (ushort)1, (ushort)0xABCD)), Is.EqualTo("0100CDAB"));
    [Test] public void SS_values() => Assert.That(ToHex(Set(DicomVR.SS, (short)-1, (short)2)), Is.EqualTo("FFFF0200"));
    [Test] public void UL_values() => Assert.That(ToHex(Set(DicomVR.UL, 0x12345678u)), Is.EqualTo("78563412"));
    [Test] public void SL_values() => Assert.That(ToHex(Set(DicomVR.SL, -2)), Is.EqualTo("FEFFFFFF"));
    [Test] public void FL_values() => Assert.That(ToHex(Set(DicomVR.FL, 1.5f, -2f)), Is.EqualTo("0000C03F000000C0"));
    [Test] public void FD_values() => Assert.That(ToHex(Set(DicomVR.FD, 1.5)), Is.EqualTo("000000000000F83F"));
    [Test] public void SV_values() => Assert.That(ToHex(Set(DicomVR.SV, -2L)), Is.EqualTo("FEFFFFFFFFFFFFFF"));
    [Test] public void UV_values() => Assert.That(ToHex(Set(DicomVR.UV, 0x0102030405060708UL)), Is.EqualTo("0807060504030201"));
    [Test] public void OB_values() => Assert.That(ToHex(Set(DicomVR.OB, (byte)1, (byte)2)), Is.EqualTo("0102"));
    [Test] public void OW_values() => Assert.That(ToHex(Set(DicomVR.OW, (ushort)0x0102, (ushort)0x0304)), Is.EqualTo("02010403"));
    [Test] public void OF_values() => Assert.That(ToHex(Set(DicomVR.OF, 1.5f)), Is.EqualTo("0000C03F"));
    [Test] public void OD_values() => Assert.That(ToHex(Set(DicomVR.OD, 1.5)), Is.EqualTo("000000000000F83F"));
    [Test] public void OL_values() => Assert.That(ToHex(Set(DicomVR.OL, 0x12345678u)), Is.EqualTo("78563412"));
    [Test] public void OV_values() => Assert.That(ToHex(Set(DicomVR.OV, 0x0102030405060708UL)), Is.EqualTo("0807060504030201"));

    [Test]
    public void AT_is_group_then_element_each_16_bit()
    {
        var bytes = Set(DicomVR.AT, new DicomTag(0x0018, 0x1063), new DicomTag(0x0028, 0x0009));
        Assert.That(ToHex(bytes), Is.EqualTo("1800631028000900"));
    }

    [Test]
    public void Binary_values_convert_to_wider_types_and_refuse_narrowing_overflow()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.Rows, (ushort)60000);
        Assert.That(ds.GetSingleValue<int>(DicomTags.Rows), Is.EqualTo(60000));
        Assert.That(ds.GetSingleValue<string>(DicomTags.Rows), Is.EqualTo("60000"));
        Assert.Throws<DicomDataException>(() => ds.GetSingleValue<short>(DicomTags.Rows));
    }

    [Test]
    public void Element_count_is_length_over_unit_size()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.RescaleSlope, DicomVR.FD, 1.0, 2.0, 3.0);
        Assert.That(ds.GetElement(DicomTags.RescaleSlope).Count, Is.EqualTo(3));
    }
}
