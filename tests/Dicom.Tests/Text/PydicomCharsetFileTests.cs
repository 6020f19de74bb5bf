using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.Tests.Text;

/// <summary>Our decoder against pydicom 2.3.1 over the character set files Debian ships with it.</summary>
[TestFixture]
[Category("CharacterSets")]
public sealed class PydicomCharsetFileTests
{
    private static readonly string[] Files =
    [
        "chrArab.dcm", "chrFren.dcm", "chrFrenMulti.dcm", "chrGerm.dcm", "chrGreek.dcm", "chrH31.dcm", "chrH32.dcm",
        "chrHbrw.dcm", "chrI2.dcm", "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm", "chrKoreanMulti.dcm",
        "chrRuss.dcm", "chrSQEncoding.dcm", "chrSQEncoding1.dcm", "chrX1.dcm", "chrX2.dcm",
    ];

    // Patient's Name of each file as listed in pydicom's charset_files/FileInfo.txt and PS3.5 Annexes H–J.
    private static readonly (string File, string Name)[] PatientNames =
    [
        ("chrArab.dcm", "قباني^لنزار "),
        ("chrFren.dcm", "Buc^Jérôme"),
        ("chrGerm.dcm", "Äneas^Rüdiger "),
        ("chrGreek.dcm", "Διονυσιος "),
        ("chrH31.dcm", "Yamada^Tarou=山田^太郎=やまだ^たろう"),
        ("chrH32.dcm", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう"),
        ("chrHbrw.dcm", "שרון^דבורה"),
        ("chrI2.dcm", "Hong^Gildong=洪^吉洞=홍^길동"),
        ("chrJapMulti.dcm", "やまだ^たろう "),
        ("chrKoreanMulti.dcm", "김희중 "),
        ("chrRuss.dcm", "Люкceмбypг"),
        ("chrX1.dcm", "Wang^XiaoDong=王^小東= "),
        ("chrX2.dcm", "Wang^XiaoDong=王^小东="),
    ];

    private ILookup<string, PydicomElement> _dump = null!;

    [OneTimeSetUp]
    public void DumpAllFilesWithPydicom() => _dump = PydicomCharsetReference.Dump(Files).ToLookup(e => e.File);

    private IReadOnlyList<PydicomElement> Dump(string file) => _dump[file].ToList();

    private static IEnumerable<TestCaseData> FileCases() => Files.Select(f => new TestCaseData(f).SetArgDisplayNames(f));

    private static IEnumerable<TestCaseData> NameCases() =>
        PatientNames.Select(p => new TestCaseData(p.File, p.Name).SetArgDisplayNames(p.File));

    [TestCaseSource(nameof(FileCases))]
    public void Decodes_every_text_element_of_the_file_as_pydicom_does(string file)
    {
        var elements = Dump(file);
        Assert.That(elements, Is.Not.Empty, $"pydicom found no character-set-dependent elements in {file}.");
        var warnings = new List<string>();
        Assert.Multiple(() =>
        {
            foreach (var e in elements)
            {
                var charset = DicomCharacterSet.Create(e.SpecificCharacterSet, warnings.Add);
                Assert.That(charset.Decode(e.Raw, e.VR), Is.EqualTo(e.Expected), e.ToString());
            }
        });
        Assert.That(warnings, Is.Empty, "The files use Defined Terms only.");
    }

    [TestCaseSource(nameof(NameCases))]
    public void Decodes_the_patient_name_given_by_the_standard(string file, string expected)
    {
        var pn = Dump(file).Single(e => e.Tag == 0x00100010);
        Assert.That(DicomCharacterSet.Create(pn.SpecificCharacterSet).Decode(pn.Raw, DicomVR.PN), Is.EqualTo(expected));
    }

    // Files whose writers used the minimal escape sequences PS3.5 §6.1.2.5.3 asks for, so our encoder must give
    // back the very same bytes. (chrKoreanMulti has a redundant ESC ( B and chrSQEncoding returns to ISO 646 instead
    // of the value 1 set JIS X 0201, so they are decode-only.)
    [TestCase("chrH31.dcm", 0x00100010u)]
    [TestCase("chrH32.dcm", 0x00100010u)]
    [TestCase("chrI2.dcm", 0x00100010u)]
    [TestCase("chrJapMulti.dcm", 0x00100010u)]
    [TestCase("chrJapMulti.dcm", 0x00101001u)]
    [TestCase("chrJapMulti.dcm", 0x001021B0u)]
    [TestCase("chrJapMultiExplicitIR6.dcm", 0x00101001u)]
    [TestCase("chrX1.dcm", 0x00100010u)]
    [TestCase("chrX2.dcm", 0x00100010u)]
    [TestCase("chrGreek.dcm", 0x00100010u)]
    [TestCase("chrArab.dcm", 0x00100010u)]
    public void Encoding_the_decoded_text_gives_back_the_original_bytes(string file, uint tag)
    {
        var e = Dump(file).Single(x => x.Tag == tag);
        var charset = DicomCharacterSet.Create(e.SpecificCharacterSet);
        string text = charset.Decode(e.Raw, e.VR);

        Assert.That(charset.CanEncode(text), Is.True);
        Assert.That(Convert.ToHexString(charset.Encode(text, e.VR)), Is.EqualTo(Convert.ToHexString(e.Raw)));
        Assert.That(charset.GetByteCount(text, e.VR), Is.EqualTo(e.Raw.Length));
    }
}
