using System.Text;
using EdgeCancer.Dicom.Text;

namespace EdgeCancer.Dicom.Tests.Text;

/// <summary>Golden bytes from the informative examples of PS3.5 Annexes H (Japanese), I (Korean), J (UTF-8, GB18030)
/// and K (GB 2312), encoded and decoded both ways.</summary>
[TestFixture]
[Category("CharacterSets")]
public sealed class StandardAnnexExampleTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", ""));

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static void AssertBothWays(DicomCharacterSet charset, DicomVR vr, string text, byte[] bytes)
    {
        Assert.That(charset.Decode(bytes, vr), Is.EqualTo(text), "decode");
        Assert.That(Convert.ToHexString(charset.Encode(text, vr)), Is.EqualTo(Convert.ToHexString(bytes)), "encode");
        Assert.That(charset.GetByteCount(text, vr), Is.EqualTo(bytes.Length), "byte count");
        Assert.That(charset.CanEncode(text), Is.True, "can encode");
    }

    [Test]
    public void Example_H_3_1_Japanese_name_with_JIS_X_0208()
    {
        // PS3.5 Example H.3-1: "\ISO 2022 IR 87", ESC $ B before kanji and kana, ESC ( B before each delimiter.
        byte[] bytes = Concat(Ascii("Yamada^Tarou="),
            Hex("1B2442 3B33 4544 1B2842"), Ascii("^"), Hex("1B2442 4240 4F3A 1B2842"), Ascii("="),
            Hex("1B2442 2464 245E 2440 1B2842"), Ascii("^"), Hex("1B2442 243F 246D 2426 1B2842"));
        AssertBothWays(DicomCharacterSet.Create(["", "ISO 2022 IR 87"]), DicomVR.PN,
            "Yamada^Tarou=山田^太郎=やまだ^たろう", bytes);
    }

    [Test]
    public void Example_H_3_2_Japanese_name_with_JIS_X_0201_as_value_1()
    {
        // PS3.5 Example H.3-2: value 1 "ISO 2022 IR 13" puts JIS X 0201 Romaji in G0 and Katakana in G1 with no
        // escape; the return before each delimiter is ESC ( J (04/10), not ESC ( B.
        byte[] bytes = Hex(
            "D4 CF C0 DE 5E C0 DB B3 3D 1B 24 42 3B 33 45 44 1B 28 4A 5E 1B 24 42 42 40 4F 3A 1B 28 4A 3D "
            + "1B 24 42 24 64 24 5E 24 40 1B 28 4A 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 4A");
        AssertBothWays(DicomCharacterSet.Create(["ISO 2022 IR 13", "ISO 2022 IR 87"]), DicomVR.PN,
            "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", bytes);
    }

    [Test]
    public void Japanese_name_with_a_JIS_X_0212_character()
    {
        // 鷗 (U+9DD7) is only in JIS X 0212 (0x6C3F, ESC $ ( D); bytes as pydicom's test_charset.py expects them.
        byte[] bytes = Hex(
            "4D6F72695E4F6761693D1B24423F391B28425E1B2428446C3F1B244233301B28423D1B244224622" +
            "46A1B28425E1B2442242A2426242C24241B2842");
        AssertBothWays(DicomCharacterSet.Create(["ISO 2022 IR 6", "ISO 2022 IR 87", "ISO 2022 IR 159"]), DicomVR.PN,
            "Mori^Ogai=森^鷗外=もり^おうがい", bytes);
    }

    [Test]
    public void Example_I_2_Korean_name_designates_KS_X_1001_in_every_component()
    {
        // PS3.5 Example I.2-1: ESC $ ) C before the Hangul/Hanja of each component (G1 is reset at '^' and '=').
        byte[] bytes = Concat(Ascii("Hong^Gildong="),
            Hex("1B242943 FBF3"), Ascii("^"), Hex("1B242943 D1CE D4D7"), Ascii("="),
            Hex("1B242943 C8AB"), Ascii("^"), Hex("1B242943 B1E6 B5BF"));
        AssertBothWays(DicomCharacterSet.Create(["", "ISO 2022 IR 149"]), DicomVR.PN,
            "Hong^Gildong=洪^吉洞=홍^길동", bytes);
    }

    [Test]
    public void Example_I_3_Korean_long_text_designated_at_the_start_of_each_line()
    {
        // PS3.5 Example I.3-1 designates KS X 1001 at the head of each line; we designate just before the first
        // Hangul instead (also valid), so this example is checked for decoding only.
        byte[] bytes = Concat(
            Hex("1B242943"), Ascii("The first line includes "), Hex("C7D1 B1DB"), Ascii(".\r\n"),
            Hex("1B242943"), Ascii("The second line includes "), Hex("C7D1 B1DB"), Ascii(", too.\r\n"),
            Ascii("The third line"));
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 149"]);
        string text = "The first line includes 한글.\r\nThe second line includes 한글, too.\r\nThe third line";
        Assert.That(charset.Decode(bytes, DicomVR.LT), Is.EqualTo(text));
        Assert.That(charset.Decode(charset.Encode(text, DicomVR.LT), DicomVR.LT), Is.EqualTo(text));
    }

    [Test]
    public void Example_J_1_Chinese_name_in_UTF_8()
    {
        AssertBothWays(DicomCharacterSet.Create(["ISO_IR 192"]), DicomVR.PN, "Wang^XiaoDong=王^小東=",
            Hex("57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D E7 8E 8B 5E E5 B0 8F E6 9D B1 3D"));
    }

    private const string ChineseLongText =
        "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n";

    [Test]
    public void Example_J_2_Chinese_long_text_in_UTF_8()
    {
        byte[] bytes = Concat(Ascii("The first line includes"), Hex("E4B8AD E69687"), Ascii(".\r\nThe second line includes"),
            Hex("E4B8AD E69687"), Ascii(", too.\r\nThe third line.\r\n"));
        AssertBothWays(DicomCharacterSet.Create(["ISO_IR 192"]), DicomVR.LT, ChineseLongText, bytes);
    }

    [Test]
    public void Example_J_3_Chinese_name_in_GB18030()
    {
        AssertBothWays(DicomCharacterSet.Create(["GB18030"]), DicomVR.PN, "Wang^XiaoDong=王^小东=",
            Hex("57 61 6e 67 5e 58 69 61 6f 44 6f 6e 67 3d cd f5 5e d0 a1 b6 ab 3d"));
    }

    [TestCase("GB18030")]
    [TestCase("GBK")]
    public void Example_J_4_Chinese_long_text_in_GB18030_and_GBK(string term)
    {
        // PS3.5 Annex J: the GB18030 examples only use characters GBK shares, so they serve for both.
        byte[] bytes = Concat(Ascii("The first line includes"), Hex("D6D0 CEC4"), Ascii(".\r\nThe second line includes"),
            Hex("D6D0 CEC4"), Ascii(", too.\r\nThe third line.\r\n"));
        AssertBothWays(DicomCharacterSet.Create([term]), DicomVR.LT, ChineseLongText, bytes);
    }

    [Test]
    public void Example_K_2_Chinese_name_with_GB2312_in_G1()
    {
        byte[] bytes = Hex(
            "5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D 20");
        var charset = DicomCharacterSet.Create(["", "ISO 2022 IR 58"]);
        Assert.That(charset.Decode(bytes, DicomVR.PN), Is.EqualTo("Zhang^XiaoDong=张^小东= "));
        // The trailing 0x20 is padding to even length, not part of the text.
        AssertBothWays(charset, DicomVR.PN, "Zhang^XiaoDong=张^小东=", bytes[..^1]);
    }

    [Test]
    public void Example_K_3_Chinese_long_text_designates_GB2312_again_after_each_line()
    {
        byte[] bytes = Hex(
            "31 2e 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 0D 0A "
            + "32 2e 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 0D 0A "
            + "33 2e 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 0D 0A");
        AssertBothWays(DicomCharacterSet.Create(["", "ISO 2022 IR 58"]), DicomVR.LT,
            "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n", bytes);
    }
}
