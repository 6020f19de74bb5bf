namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 Table 6.2-1: DS is at most 16 characters, IS at most 12, both parse with leading/trailing spaces.</summary>
[TestFixture, Category("Encoding")]
public sealed class NumberStringTests
{
    [TestCase(0.5, "0.5")]
    [TestCase(-1.0 / 3, "-0.3333333333333")]
    [TestCase(1.0 / 3, "0.33333333333333")]
    [TestCase(1e20, "1E20")]
    [TestCase(-1.2345678901234567e-200, "-1.23456789E-200")]
    [TestCase(123456789012345678.0, "1.23456789012E17")]
    public void DS_formats_in_at_most_16_characters(double value, string expected)
    {
        var text = DicomValueCodec.FormatDecimalString(value);
        Assert.That(text.Length, Is.LessThanOrEqualTo(16));
        Assert.That(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(value).Within(1e-6).Percent);
        Assert.That(text, Is.EqualTo(expected));
    }

    [Test]
    public void DS_and_IS_values_set_and_get_through_a_dataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.PixelSpacing, 0.703125, 0.703125);
        ds.AddOrUpdate(DicomTags.InstanceNumber, 12);
        Assert.That(ds.GetString(DicomTags.PixelSpacing), Is.EqualTo("0.703125\\0.703125"));
        Assert.That(ds.GetValues<double>(DicomTags.PixelSpacing), Is.EqualTo(new[] { 0.703125, 0.703125 }));
        Assert.That(ds.GetValues<decimal>(DicomTags.PixelSpacing), Is.EqualTo(new[] { 0.703125m, 0.703125m }));
        Assert.That(ds.GetSingleValue<int>(DicomTags.InstanceNumber), Is.EqualTo(12));
        Assert.That(ds.GetElement(DicomTags.InstanceNumber).Buffer.Memory.ToArray(), Is.EqualTo("12"u8.ToArray()));
    }

    [Test]
    public void DS_from_a_float_is_the_float_s_shortest_form()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SliceThickness, 0.1f);
        Assert.That(ds.GetString(DicomTags.SliceThickness), Is.EqualTo("0.1"));
    }

    [Test]
    public void DS_with_spaces_and_exponent_parses()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.SliceThickness, DicomVR.DS, " 1.0000000e-6 "u8.ToArray()));
        Assert.That(ds.GetSingleValue<double>(DicomTags.SliceThickness), Is.EqualTo(1e-6));
    }

    [Test]
    public void IS_that_is_not_an_integer_is_a_data_error()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomElement(DicomTags.InstanceNumber, DicomVR.IS, "1.5 "u8.ToArray()));
        Assert.Throws<DicomDataException>(() => ds.GetSingleValue<int>(DicomTags.InstanceNumber));
        Assert.That(ds.TryGetSingleValue<int>(DicomTags.InstanceNumber, out _), Is.False);
    }
}
