namespace EdgeCancer.Dicom.Tests.IO;

/// <summary>PS3.5 §6.2.1.2: PN has up to three component groups separated by '=', each with five '^'-separated components.</summary>
[TestFixture, Category("Encoding")]
public sealed class PersonNameTests
{
    [Test]
    public void PN_splits_component_groups_and_components()
    {
        var pn = new DicomPersonName("Doe^John^Q^Dr^Jr=Ideo^Gram=Pho^Netic");
        Assert.That((pn.Family, pn.Given, pn.Middle, pn.Prefix, pn.Suffix), Is.EqualTo(("Doe", "John", "Q", "Dr", "Jr")));
        Assert.That((pn.Alphabetic, pn.Ideographic, pn.Phonetic), Is.EqualTo(("Doe^John^Q^Dr^Jr", "Ideo^Gram", "Pho^Netic")));
    }

    [Test]
    public void PN_built_from_components_drops_trailing_empty_ones()
    {
        Assert.That(new DicomPersonName("Doe", "John").Value, Is.EqualTo("Doe^John"));
        Assert.That(new DicomPersonName("Doe", "", "", "Dr").Value, Is.EqualTo("Doe^^^Dr"));
    }

    [Test]
    public void PN_multiple_values_set_and_get_through_a_dataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.OtherPatientNames, new DicomPersonName("Doe", "John"), new DicomPersonName("Roe^Jane=^="));
        var names = ds.GetValues<DicomPersonName>(DicomTags.OtherPatientNames);
        Assert.That(names.Select(n => n.Family), Is.EqualTo(new[] { "Doe", "Roe" }));
        Assert.That(names[1].Ideographic, Is.EqualTo("^"));
        Assert.That(ds.GetElement(DicomTags.OtherPatientNames).Buffer.Memory.ToArray(), Is.EqualTo("Doe^John\\Roe^Jane=^="u8.ToArray()));
    }
}
