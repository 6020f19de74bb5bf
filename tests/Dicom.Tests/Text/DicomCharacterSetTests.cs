using System.Text;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.Tests.Text;

[TestFixture]
[Category("CharacterSets")]
public sealed class DicomCharacterSetTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    // Names and bytes of pydicom's test_charset.py ENCODED_NAMES: each single-byte set as a code extension, with its
    // escape sequence (ESC 02/13 F, or ESC 02/09 04/09 for JIS X 0201 Katakana) at the start of each component.
    private static readonly (string Term, string Text, string Hex)[] SingleByteExtensions =
    [
        ("ISO 2022 IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "1B2949D4CFC0DE5E1B2949C0DBB3"),
        ("ISO 2022 IR 100", "Buc^Jérôme", "1B2D414275635E1B2D414AE972F46D65"),
        ("ISO 2022 IR 101", "Wałęsa", "1B2D425761B3EA7361"),
        ("ISO 2022 IR 109", "antaŭnomo", "1B2D43616E7461FD6E6F6D6F"),
        ("ISO 2022 IR 110", "vārds", "1B2D4476E0726473"),
        ("ISO 2022 IR 127", "قباني^لنزار", "1B2D47E2C8C7E6EA5E1B2D47E4E6D2C7D1"),
        ("ISO 2022 IR 126", "Διονυσιος", "1B2D46C4E9EFEDF5F3E9EFF2"),
        ("ISO 2022 IR 138", "שרון^דבורה", "1B2D48F9F8E5EF5E1B2D48E3E1E5F8E4"),
        ("ISO 2022 IR 144", "Люкceмбypг", "1B2D4CBBEEDA6365DCD17970D3"),
        ("ISO 2022 IR 148", "Çavuşoğlu", "1B2D4DC7617675FE6FF06C75"),
        ("ISO 2022 IR 166", "นามสกุล", "1B2D54B9D2C1CAA1D8C5"),
    ];

    private static IEnumerable<TestCaseData> SingleByteExtensionCases() =>
        SingleByteExtensions.Select(s => new TestCaseData(s.Term, s.Text, s.Hex).SetArgDisplayNames(s.Term));

    [TestCaseSource(nameof(SingleByteExtensionCases))]
    public void Decodes_each_single_byte_set_invoked_by_its_escape_sequence(string term, string text, string hex)
    {
        var charset = DicomCharacterSet.Create(["", term]);
        byte[] bytes = [.. "ASCII+"u8, .. Hex(hex)];
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo("ASCII+" + text));
        Assert.That(charset.Decode(charset.Encode("ASCII+" + text, DicomVR.PN), DicomVR.PN), Is.EqualTo("ASCII+" + text));
    }

    [TestCaseSource(nameof(SingleByteExtensionCases))]
    public void Encodes_each_single_byte_term_without_code_extensions_as_its_plain_code_page(string term, string text, string hex)
    {
        // "ISO 2022 IR nnn" → "ISO_IR nnn": the same bytes minus the escape sequences.
        string plainTerm = "ISO_IR " + term["ISO 2022 IR ".Length..];
        string escape = term == "ISO 2022 IR 13" ? "1B2949" : hex[..6];
        byte[] bytes = Hex(hex.Replace(escape, ""));
        var charset = DicomCharacterSet.Create([plainTerm]);
        Assert.That(charset.UsesCodeExtensions, Is.False);
        Assert.That(Convert.ToHexString(charset.Encode(text, DicomVR.PN)), Is.EqualTo(Convert.ToHexString(bytes)));
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo(text));
    }

    [Test]
    public void Encodes_a_single_byte_code_extension_with_its_escape_only_where_needed()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 100"]);
        // G1 is reset at '^', so the second component designates ISO-IR 100 again.
        Assert.That(Convert.ToHexString(charset.Encode("Jé^Jé", DicomVR.PN)), Is.EqualTo("4A1B2D41E95E4A1B2D41E9"));
    }

    [Test]
    public void Switches_G1_between_single_byte_sets_and_restores_value_1_before_a_delimiter()
    {
        var charset = DicomCharacterSet.Create(["ISO 2022 IR 100", "ISO 2022 IR 126"]);
        byte[] bytes = charset.Encode("é=Δ\\é", DicomVR.PN);
        // é in the initial Latin-1 G1, Δ after ESC - F, ESC - A before '\', then é without an escape.
        Assert.That(Convert.ToHexString(bytes), Is.EqualTo("E93D1B2D46C41B2D415CE9"));
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo("é=Δ\\é"));
    }

    [Test]
    public void Reads_a_component_without_its_escape_sequence_as_Latin_1()
    {
        // Value 1 is the default repertoire: after '^' no G1 set is designated any more (pydicom reads it the same).
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 13"]);
        byte[] bytes = [.. "ASCII+"u8, .. Hex("1B2949D4CFC0DE5EC0DBB3")];
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo("ASCII+ﾔﾏﾀﾞ^ÀÛ³"));
    }

    [TestCase(CodeElementHex.JisX0208, "3B33", "山")]
    [TestCase(CodeElementHex.JisX0208, "2464", "や")]
    [TestCase(CodeElementHex.JisX0208, "2140", "＼")]
    [TestCase(CodeElementHex.JisX0212, "3021", "丂")]
    [TestCase(CodeElementHex.JisX0212, "6C3F", "鷗")]
    [TestCase(CodeElementHex.KsX1001, "FBF3", "洪")]
    [TestCase(CodeElementHex.KsX1001, "B0A1", "가")]
    [TestCase(CodeElementHex.KsX1001, "C8AB", "홍")]
    [TestCase(CodeElementHex.Gb2312, "B0A1", "啊")]
    [TestCase(CodeElementHex.Gb2312, "CDF5", "王")]
    public void Maps_94x94_codes_to_the_expected_characters(string escapeHex, string code, string expected)
    {
        // Expected characters checked against Python's iso2022_jp, iso2022_jp_2, euc_kr and gb2312 codecs.
        // JIS X 0208 0x2140 is FULLWIDTH REVERSE SOLIDUS in JIS X 0208:1997's table, so it never splits a value.
        string term = escapeHex switch
        {
            CodeElementHex.JisX0208 => "ISO 2022 IR 87",
            CodeElementHex.JisX0212 => "ISO 2022 IR 159",
            CodeElementHex.KsX1001 => "ISO 2022 IR 149",
            _ => "ISO 2022 IR 58",
        };
        var charset = DicomCharacterSet.Create(["", term]);
        // The JIS sets sit in G0, so ISO 646 is designated again at the end; KS X 1001 and GB 2312 sit in G1.
        bool inG0 = escapeHex is CodeElementHex.JisX0208 or CodeElementHex.JisX0212;
        byte[] bytes = Hex(escapeHex + code + (inG0 ? "1B2842" : ""));
        Assert.That(charset.Decode(bytes, DicomVR.LO), Is.EqualTo(expected));
        Assert.That(Convert.ToHexString(charset.Encode(expected, DicomVR.LO)), Is.EqualTo(Convert.ToHexString(bytes)));
    }

    private static class CodeElementHex
    {
        public const string JisX0208 = "1B2442";
        public const string JisX0212 = "1B242844";
        public const string KsX1001 = "1B242943";
        public const string Gb2312 = "1B242941";
    }

    [Test]
    public void The_first_declared_set_that_holds_a_character_is_used()
    {
        // 洪 is in both JIS X 0208 and KS X 1001: with IR 87 declared first it is written in JIS X 0208.
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87", "ISO 2022 IR 149"]);
        Assert.That(Convert.ToHexString(charset.Encode("洪홍", DicomVR.LO)), Is.EqualTo("1B2442393F1B242943C8AB1B2842"));
        Assert.That(charset.Decode(charset.Encode("洪홍", DicomVR.LO), DicomVR.LO), Is.EqualTo("洪홍"));
    }

    [Test]
    public void Latin_9_has_the_euro_sign_where_Latin_1_has_the_currency_sign()
    {
        Assert.That(DicomCharacterSet.Create(["ISO_IR 203"]).Decode([0xA4], DicomVR.LO), Is.EqualTo("€"));
        Assert.That(DicomCharacterSet.Create(["ISO_IR 100"]).Decode([0xA4], DicomVR.LO), Is.EqualTo("¤"));
        Assert.That(DicomCharacterSet.Create(["ISO_IR 203"]).Encode("€", DicomVR.LO), Is.EqualTo(new byte[] { 0xA4 }));
    }

    [Test]
    public void Half_width_katakana_of_ISO_IR_13_are_the_JIS_X_0201_right_half()
    {
        var charset = DicomCharacterSet.Create(["ISO_IR 13"]);
        Assert.That(charset.Decode([0xA1, 0xB1, 0xDF], DicomVR.SH), Is.EqualTo("\uFF61\uFF71\uFF9F"));
    }

    [Test]
    public void Resets_G0_at_the_value_delimiter_of_multi_valued_strings()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        byte[] bytes = Hex("1B2442 3B33 1B2842 5C 1B2442 4544 1B2842");
        Assert.That(Convert.ToHexString(charset.Encode("山\\田", DicomVR.LO)), Is.EqualTo(Convert.ToHexString(bytes)));
        Assert.That(charset.Decode(bytes, DicomVR.LO), Is.EqualTo("山\\田"));
    }

    [Test]
    public void A_backslash_resets_G1_in_a_multi_valued_string_but_is_text_in_long_text()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 149"]);
        Assert.That(Convert.ToHexString(charset.Encode("홍\\홍", DicomVR.LO)), Is.EqualTo("1B242943C8AB5C1B242943C8AB"));
        Assert.That(Convert.ToHexString(charset.Encode("홍\\홍", DicomVR.LT)), Is.EqualTo("1B242943C8AB5CC8AB"));
        Assert.That(charset.Decode(Hex("1B242943C8AB5CC8AB"), DicomVR.LT), Is.EqualTo("홍\\홍"));
        // In a multi-valued string the second value lost its G1 designation, so its bytes read as Latin-1.
        Assert.That(charset.Decode(Hex("1B242943C8AB5CC8AB"), DicomVR.LO), Is.EqualTo("홍\\È«"));
    }

    [Test]
    public void A_backslash_byte_inside_a_two_byte_code_is_not_a_value_delimiter()
    {
        // JIS X 0208 0x3C5C is 尺 (second byte 0x5C): decoding must not split or reset there.
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        byte[] bytes = Hex("1B2442 3C5C 1B2842");
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo("尺"));
        Assert.That(Convert.ToHexString(charset.Encode("尺", DicomVR.PN)), Is.EqualTo(Convert.ToHexString(bytes)));
    }

    [Test]
    public void A_GB18030_trail_byte_equal_to_a_delimiter_stays_inside_its_character()
    {
        // 乗 is 0x81 0x5C in GB18030: the 0x5C must not be read as a value delimiter.
        var charset = DicomCharacterSet.Create(["GB18030"]);
        Assert.That(charset.Encode("乗", DicomVR.LO), Is.EqualTo(new byte[] { 0x81, 0x5C }));
        Assert.That(charset.Decode([0x81, 0x5C], DicomVR.LO), Is.EqualTo("乗"));
    }

    [TestCase("ISO_IR 999")]
    [TestCase("Latin1-ish")]
    public void Unknown_term_falls_back_to_ISO_IR_100_with_a_warning(string term)
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create([term], warnings.Add);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain(term).And.Contain("ISO_IR 100"));
        Assert.That(charset.Decode(Hex("4275635E4AE972F46D65"), DicomVR.PN), Is.EqualTo("Buc^Jérôme"));
    }

    [Test]
    public void Unknown_value_1_with_code_extensions_falls_back_to_ISO_2022_IR_100_with_one_warning()
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(["ISO_IR 999", "ISO 2022 IR 87"], warnings.Add);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain("ISO_IR 999").And.Contain("ISO 2022 IR 100"));
        Assert.That(charset.DefinedTerms, Is.EqualTo(new[] { "ISO 2022 IR 100", "ISO 2022 IR 87" }));
        Assert.That(charset.Decode(Hex("E95E1B24423B331B2842"), DicomVR.PN), Is.EqualTo("é^山"));
    }

    [TestCase("ISO-IR 100", "ISO_IR 100")]
    [TestCase("ISO IR 100", "ISO_IR 100")]
    [TestCase("ISO_IR100", "ISO_IR 100")]
    [TestCase("iso_ir 100", "ISO_IR 100")]
    [TestCase("ISO-IR 192", "ISO_IR 192")]
    [TestCase("UTF-8", "ISO_IR 192")]
    [TestCase("ISO_2022-IR 100", "ISO 2022 IR 100")]
    public void Misspelled_term_is_corrected_with_a_warning(string given, string corrected)
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create([given], warnings.Add);
        Assert.That(charset.DefinedTerms, Is.EqualTo(new[] { corrected }));
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(warnings[0], Does.Contain(given).And.Contain(corrected));
    }

    [Test]
    public void A_set_made_once_is_reused_but_a_value_holding_the_delimiter_is_not_taken_for_it()
    {
        var quiet = new List<string>();
        var greek = DicomCharacterSet.Create(["ISO 2022 IR 100", "ISO 2022 IR 126"], quiet.Add);
        Assert.That(DicomCharacterSet.Create(["ISO 2022 IR 100", "ISO 2022 IR 126"], quiet.Add), Is.SameAs(greek));
        Assert.That(quiet, Is.Empty);
        // One value that reads like the two above joined: an unknown term, reported, not the cached set.
        var warnings = new List<string>();
        var one = DicomCharacterSet.Create([@"ISO 2022 IR 100\ISO 2022 IR 126"], warnings.Add);
        Assert.That(one, Is.Not.SameAs(greek));
        Assert.That(warnings, Has.Count.EqualTo(1));
        // A null value is the default repertoire, not an error.
        Assert.That(DicomCharacterSet.Create([null!]).DefinedTerms, Is.EqualTo(DicomCharacterSet.Default.DefinedTerms));
    }

    [Test]
    public void Misspelled_code_extension_terms_still_decode_Greek()
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(["ISO 2022 IR 100", "ISO_2022_IR+126"], warnings.Add);
        Assert.That(charset.Decode(Hex("44696F6E7973696F733D1B2D46C4E9EFEDF5F3E9EFF2"), DicomVR.PN),
            Is.EqualTo("Dionysios=Διονυσιος"));
        Assert.That(warnings, Has.Count.EqualTo(1).And.Some.Contain("ISO 2022 IR 126"));
    }

    [Test]
    public void Unknown_code_extension_is_ignored_with_a_warning()
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87", "ISO 2022 IR 999"], warnings.Add);
        Assert.That(warnings, Has.Count.EqualTo(1).And.Some.Contain("ISO 2022 IR 999"));
        Assert.That(charset.DefinedTerms, Is.EqualTo(new[] { "", "ISO 2022 IR 87" }));
    }

    [Test]
    public void UTF_8_cannot_be_combined_with_code_extensions()
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(["ISO_IR 192", "ISO 2022 IR 87"], warnings.Add);
        Assert.That(charset.DefinedTerms, Is.EqualTo(new[] { "ISO_IR 192" }));
        Assert.That(charset.UsesCodeExtensions, Is.False);
        Assert.That(warnings, Has.Count.EqualTo(1));
        Assert.That(charset.Decode("Jérôme"u8, DicomVR.PN), Is.EqualTo("Jérôme"));
    }

    [Test]
    public void Single_byte_term_used_as_code_extension_is_read_as_its_ISO_2022_form()
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(["ISO_IR 100", "ISO_IR 144"], warnings.Add);
        Assert.That(charset.DefinedTerms, Is.EqualTo(new[] { "ISO 2022 IR 100", "ISO 2022 IR 144" }));
        Assert.That(warnings, Has.Count.EqualTo(2));
        Assert.That(charset.Decode(Hex("E95C1B2D4CBBEE"), DicomVR.LO), Is.EqualTo("é\\Лю"));
    }

    private static IEnumerable<TestCaseData> DefaultRepertoireValues()
    {
        yield return new TestCaseData((object)Array.Empty<string>()).SetArgDisplayNames("no values");
        yield return new TestCaseData((object)new[] { "" }).SetArgDisplayNames("one empty value");
        yield return new TestCaseData((object)new[] { "", "" }).SetArgDisplayNames("two empty values");
        yield return new TestCaseData((object)new[] { " ISO_IR 6 " }).SetArgDisplayNames("ISO_IR 6 padded");
    }

    [TestCaseSource(nameof(DefaultRepertoireValues))]
    public void Empty_or_absent_values_give_the_default_repertoire(string[] values)
    {
        var warnings = new List<string>();
        var charset = DicomCharacterSet.Create(values, warnings.Add);
        Assert.That(charset.UsesCodeExtensions, Is.False);
        Assert.That(warnings, Is.Empty);
        Assert.That(charset.Decode("Doe^John"u8, DicomVR.PN), Is.EqualTo("Doe^John"));
        Assert.That(charset.CanEncode("Doe^John"), Is.True);
        Assert.That(charset.CanEncode("Jérôme"), Is.False);
    }

    [Test]
    public void Null_values_give_the_default_repertoire() =>
        Assert.That(DicomCharacterSet.Create(null), Is.SameAs(DicomCharacterSet.Default));

    [Test]
    public void Default_repertoire_keeps_stray_high_bytes_as_Latin_1()
    {
        Assert.That(DicomCharacterSet.Default.Decode(Hex("4AE9"), DicomVR.PN), Is.EqualTo("Jé"));
        Assert.That(DicomCharacterSet.Default.Encode("Jé", DicomVR.PN), Is.EqualTo("J?"u8.ToArray()));
    }

    [Test]
    public void Character_set_independent_VRs_are_read_and_written_as_Latin_1()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        byte[] bytes = Hex("1B2442 3B33 1B2842 E9");
        Assert.That(charset.Decode(bytes, DicomVR.CS), Is.EqualTo("\u001B$B;3\u001B(Bé"));
        Assert.That(charset.Decode(bytes, DicomVR.UI), Is.EqualTo("\u001B$B;3\u001B(Bé"));
        Assert.That(DicomCharacterSet.Create(["ISO_IR 192"]).Decode(Hex("C3A9"), DicomVR.AE), Is.EqualTo("Ã©"));
        Assert.That(DicomCharacterSet.Create(["ISO_IR 192"]).Encode("é", DicomVR.CS), Is.EqualTo(new byte[] { 0xE9 }));
        Assert.That(charset.Decode(bytes, DicomVR.LO), Is.EqualTo("山é"));
    }

    [Test]
    public void CanEncode_tells_whether_the_declared_sets_hold_every_character()
    {
        var japanese = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        Assert.That(japanese.CanEncode("山田^太郎"), Is.True);
        Assert.That(japanese.CanEncode("홍"), Is.False);
        Assert.That(japanese.CanEncode("鷗"), Is.False, "鷗 needs JIS X 0212 (ISO 2022 IR 159)");
        Assert.That(DicomCharacterSet.Create(["ISO_IR 100"]).CanEncode("Δ"), Is.False);
        Assert.That(DicomCharacterSet.Create(["GBK"]).CanEncode("王"), Is.True);
        Assert.That(DicomCharacterSet.Create(["GBK"]).CanEncode("😀"), Is.False);
        Assert.That(DicomCharacterSet.Create(["GB18030"]).CanEncode("😀"), Is.True);
        Assert.That(DicomCharacterSet.Create(["ISO_IR 192"]).CanEncode("😀"), Is.True);
    }

    [Test]
    public void Characters_no_declared_set_holds_become_a_question_mark()
    {
        var japanese = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        Assert.That(Convert.ToHexString(japanese.Encode("山😀", DicomVR.LO)), Is.EqualTo("1B24423B331B28423F"));
    }

    [Test]
    public void Span_encoding_writes_the_counted_bytes_and_rejects_a_short_destination()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 87"]);
        const string text = "Yamada^Tarou=山田^太郎";
        int count = charset.GetByteCount(text, DicomVR.PN);
        var buffer = new byte[count + 4];
        Assert.That(charset.Encode(text, DicomVR.PN, buffer), Is.EqualTo(count));
        Assert.That(buffer[..count], Is.EqualTo(charset.Encode(text, DicomVR.PN)));
        Assert.That(() => charset.Encode(text, DicomVR.PN, new byte[count - 1]), Throws.ArgumentException);
    }

    [Test]
    public void Long_values_decode_through_a_pooled_buffer()
    {
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 149"]);
        string text = string.Concat(Enumerable.Repeat("홍길동 ", 200));
        byte[] bytes = charset.Encode(text, DicomVR.UT);
        Assert.That(bytes, Has.Length.GreaterThan(256));
        Assert.That(charset.Decode(bytes, DicomVR.UT), Is.EqualTo(text));
        Assert.That(Encoding.ASCII.GetString(bytes), Does.StartWith("\u001B$)C"));
    }
}
