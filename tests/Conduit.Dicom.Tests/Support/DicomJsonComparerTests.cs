namespace Conduit.Dicom.Tests.Support;

public sealed class DicomJsonComparerTests
{
    private const string Document = """
        {
          "00080005": { "vr": "CS", "Value": ["ISO_IR 100"] },
          "00080008": { "vr": "CS", "Value": ["ORIGINAL", "PRIMARY"] },
          "00100010": { "vr": "PN", "Value": [{ "Alphabetic": "Doe^John", "Ideographic": "山田^太郎" }] },
          "00181050": { "vr": "DS", "Value": [0.5] },
          "00200013": { "vr": "IS", "Value": [7] },
          "00281050": { "vr": "DS", "Value": [40, 1.25] },
          "00209165": { "vr": "AT", "Value": ["00209056"] },
          "00081115": { "vr": "SQ", "Value": [
              { "00081150": { "vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.2"] } }
          ] },
          "7FE00010": { "vr": "OW", "InlineBinary": "AAECAw==" }
        }
        """;

    [Fact]
    public void Identical_documents_have_no_differences()
    {
        Assert.Empty(DicomJsonComparer.Compare(Document, Document));
    }

    [Fact]
    public void A_changed_value_gives_one_difference_naming_its_path()
    {
        var changed = Document.Replace("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.4", StringComparison.Ordinal);

        var difference = Assert.Single(DicomJsonComparer.Compare(Document, changed));

        Assert.Equal("/00081115/Value/0/00081150/Value/0", difference.Path);
        Assert.Equal("00081150", difference.Tag);
        Assert.Equal("UI", difference.Vr);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.4", difference.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DS", "1.0", "1")]
    [InlineData("DS", "\"1e2\"", "100")]
    [InlineData("DS", "\" 0.50 \"", "0.5")]
    [InlineData("DS", "\"-1024\\u0000\"", "-1024")]
    [InlineData("IS", "\"007\"", "7")]
    [InlineData("FD", "0.026228787661969975", "0.02622878766196998")]
    [InlineData("FL", "3.099999905", "3.0999999046325684")]
    [InlineData("UV", "18446744073709551615", "\"18446744073709551615\"")]
    public void Number_formats_of_the_same_value_are_equal(string vr, string expected, string actual)
    {
        Assert.Empty(DicomJsonComparer.Compare(Element(vr, $"[{expected}]"), Element(vr, $"[{actual}]")));
    }

    [Theory]
    [InlineData("DS", "1.5", "1.25")]
    [InlineData("FL", "3.1", "3.2")]
    [InlineData("UV", "18446744073709551615", "18446744073709551614")]
    [InlineData("IS", "\"1A\"", "1")]
    public void Different_numbers_differ(string vr, string expected, string actual)
    {
        Assert.Single(DicomJsonComparer.Compare(Element(vr, $"[{expected}]"), Element(vr, $"[{actual}]")));
    }

    [Fact]
    public void Keys_are_compared_as_tags_not_as_text()
    {
        Assert.Empty(DicomJsonComparer.Compare(
            """{ "7fe00010": { "vr": "OW", "InlineBinary": "AAE=" } }""",
            """{ "7FE00010": { "vr": "OW", "InlineBinary": "AAE=" } }"""));
    }

    [Fact]
    public void Missing_and_extra_elements_are_reported_separately()
    {
        var differences = DicomJsonComparer.Compare(
            """{ "00100010": { "vr": "PN" } }""",
            """{ "00100020": { "vr": "LO" } }""");

        Assert.Equal(["/00100010", "/00100020"], differences.Select(d => d.Path));
        Assert.Contains("missing", differences[0].Message, StringComparison.Ordinal);
        Assert.Contains("not in expected", differences[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void String_padding_with_spaces_or_nul_is_ignored()
    {
        Assert.Empty(DicomJsonComparer.Compare(Element("UI", """["1.2.3\u0000"]"""), Element("UI", """["1.2.3"]""")));
        Assert.Empty(DicomJsonComparer.Compare(Element("LO", """["ABC  "]"""), Element("LO", """["ABC"]""")));
        Assert.Single(DicomJsonComparer.Compare(Element("LO", """["  ABC"]"""), Element("LO", """["ABC"]""")));
    }

    [Fact]
    public void An_empty_value_in_a_multi_valued_element_may_be_null_or_empty_string()
    {
        Assert.Empty(DicomJsonComparer.Compare(
            Element("CS", """["ORIGINAL", null, "AXIAL"]"""),
            Element("CS", """["ORIGINAL", "", "AXIAL"]""")));
    }

    [Fact]
    public void Absent_value_empty_array_and_empty_person_name_are_the_same_empty_element()
    {
        Assert.Empty(DicomJsonComparer.Compare("""{ "00400555": { "vr": "SQ" } }""", """{ "00400555": { "vr": "SQ", "Value": [] } }"""));
        Assert.Empty(DicomJsonComparer.Compare(
            """{ "00080090": { "vr": "PN" } }""",
            """{ "00080090": { "vr": "PN", "Value": [{ "Alphabetic": "^^^^" }] } }"""));
    }

    [Fact]
    public void A_sequence_with_one_empty_item_is_not_an_empty_sequence()
    {
        Assert.Single(DicomJsonComparer.Compare(
            """{ "00400555": { "vr": "SQ", "Value": [{}] } }""",
            """{ "00400555": { "vr": "SQ" } }"""));
    }

    [Fact]
    public void Person_names_are_compared_by_component_group()
    {
        Assert.Empty(DicomJsonComparer.Compare(
            Element("PN", """[{ "Alphabetic": "OB^^^^" }]"""),
            Element("PN", """[{ "Alphabetic": "OB", "Ideographic": "" }]""")));

        var difference = Assert.Single(DicomJsonComparer.Compare(
            Element("PN", """[{ "Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎" }]"""),
            Element("PN", """[{ "Alphabetic": "Yamada^Tarou", "Ideographic": "山田^次郎" }]""")));
        Assert.Equal("/00100010/Value/0/Ideographic", difference.Path);
    }

    [Fact]
    public void Inline_binary_is_compared_as_bytes_and_even_padding_is_ignored()
    {
        // Same bytes, different base64 text is impossible for canonical base64, so check the padding rule
        // and a real difference.
        Assert.Empty(DicomJsonComparer.Compare(Element("OB", null, "AAEC"), Element("OB", null, "AAECAA==")));

        var difference = Assert.Single(DicomJsonComparer.Compare(Element("OB", null, "AAEC"), Element("OB", null, "AAED")));
        Assert.Equal("/00100010/InlineBinary", difference.Path);
        Assert.Contains("first difference at byte 2", difference.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_different_vr_is_one_difference_at_the_vr()
    {
        var difference = Assert.Single(DicomJsonComparer.Compare(Element("SH", """["X"]"""), Element("LO", """["X"]""")));
        Assert.Equal("/00100010/vr", difference.Path);
    }

    [Fact]
    public void The_allow_list_moves_a_difference_out_of_the_result_with_its_reason()
    {
        var allowed = new List<DicomJsonDifference>();

        var differences = DicomJsonComparer.Compare(
            """{ "00080005": { "vr": "CS", "Value": ["ISO_IR 100"] }, "00100020": { "vr": "LO", "Value": ["A"] } }""",
            """{ "00080005": { "vr": "CS", "Value": ["ISO_IR 192"] }, "00100020": { "vr": "LO", "Value": ["B"] } }""",
            (tag, _, _) => tag == "00080005" ? "transcoded to UTF-8" : null,
            allowed);

        Assert.Equal("/00100020/Value/0", Assert.Single(differences).Path);
        Assert.Equal("transcoded to UTF-8", Assert.Single(allowed).AllowedBecause);
    }

    [Fact]
    public void Group_length_and_private_vr_deviations_are_on_the_known_list()
    {
        var differences = DicomJsonComparer.Compare(
            """{ "00080000": { "vr": "UL", "Value": [128] }, "0019100F": { "vr": "SH", "Value": ["Fast*"] } }""",
            """{ "0019100F": { "vr": "UN", "InlineBinary": "RmFzdCog" } }""",
            KnownDeviations.Pydicom("1.2.840.10008.1.2"));

        Assert.Empty(differences);
    }

    private static string Element(string vr, string? value, string? inlineBinary = null) =>
        value is not null
            ? $$"""{ "00100010": { "vr": "{{vr}}", "Value": {{value}} } }"""
            : $$"""{ "00100010": { "vr": "{{vr}}", "InlineBinary": "{{inlineBinary}}" } }""";
}
