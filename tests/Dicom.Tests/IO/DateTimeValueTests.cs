namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 Table 6.2-1: DA (YYYYMMDD), TM (HH[MM[SS[.F{1-6}]]]), DT (YYYY…[&amp;ZZXX]) parsing and formatting.</summary>
[TestFixture, Category("Encoding")]
public sealed class DateTimeValueTests
{
    [TestCase("20240131", 2024, 1, 31)]
    [TestCase("1999.12.31", 1999, 12, 31)]
    public void DA_parses(string text, int y, int m, int d) =>
        Assert.That(DicomDateTime.ParseDate(text), Is.EqualTo(new DateOnly(y, m, d)));

    [TestCase("12", 12, 0, 0, 0)]
    [TestCase("1230", 12, 30, 0, 0)]
    [TestCase("123045", 12, 30, 45, 0)]
    [TestCase("123045.5", 12, 30, 45, 5_000_000)]
    [TestCase("123045.123456", 12, 30, 45, 1_234_560)]
    [TestCase("12:30:45", 12, 30, 45, 0)]
    public void TM_parses(string text, int h, int m, int s, long ticks) =>
        Assert.That(DicomDateTime.ParseTime(text), Is.EqualTo(new TimeOnly(h, m, s).Add(TimeSpan.FromTicks(ticks))));

    [TestCase("123")]
    [TestCase("12345")]
    [TestCase("2530")]
    [TestCase("ab")]
    public void Malformed_TM_is_refused(string text) =>
        Assert.Throws<FormatException>(() => DicomDateTime.ParseTime(text));

    [Test]
    public void DT_parses_with_and_without_offset()
    {
        Assert.That(DicomDateTime.ParseDateTime("2024"), Is.EqualTo(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.That(DicomDateTime.ParseDateTime("20240131123045.5-0500"),
            Is.EqualTo(new DateTimeOffset(2024, 1, 31, 12, 30, 45, 500, TimeSpan.FromHours(-5))));
    }

    [Test]
    public void Dates_and_times_format_as_PS3_5_requires()
    {
        Assert.That(DicomDateTime.FormatDate(new DateOnly(2024, 1, 31)), Is.EqualTo("20240131"));
        Assert.That(DicomDateTime.FormatTime(new TimeOnly(7, 5, 3)), Is.EqualTo("070503"));
        Assert.That(DicomDateTime.FormatTime(new TimeOnly(7, 5, 3, 250)), Is.EqualTo("070503.250000"));
        Assert.That(DicomDateTime.FormatDateTime(new DateTimeOffset(2024, 1, 31, 12, 30, 45, TimeSpan.FromMinutes(90))), Is.EqualTo("20240131123045+0130"));
    }

    [Test]
    public void Typed_date_and_time_set_and_get_through_a_dataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.StudyDate, new DateOnly(2024, 2, 29));
        ds.AddOrUpdate(DicomTags.StudyTime, new TimeOnly(23, 59, 1));
        ds.AddOrUpdate(DicomTags.AcquisitionDateTime, new DateTimeOffset(2024, 2, 29, 23, 59, 1, TimeSpan.Zero));
        Assert.That(ds.GetString(DicomTags.StudyDate), Is.EqualTo("20240229"));
        Assert.That(ds.GetString(DicomTags.StudyTime), Is.EqualTo("235901"));
        Assert.That(ds.GetString(DicomTags.AcquisitionDateTime), Is.EqualTo("20240229235901+0000"));
        Assert.That(ds.GetDateTime(DicomTags.StudyDate, DicomTags.StudyTime), Is.EqualTo(new DateTime(2024, 2, 29, 23, 59, 1)));
    }
}
