using Conduit.Dicom.Text;

namespace Conduit.Dicom.Tests.Values;

/// <summary>PN (PS3.5 §6.2.1): up to three component groups of five components each.</summary>
public class PersonNameTests
{
    [Fact]
    public void Alphabetic_components_are_family_given_middle_prefix_suffix()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientName, "Doe^John^Q^Dr^III");
        var pn = ds.GetPersonName(DicomTags.PatientName);
        Assert.Equal(("Doe", "John", "Q", "Dr", "III"), (pn.FamilyName, pn.GivenName, pn.MiddleName, pn.Prefix, pn.Suffix));
    }

    [Fact]
    public void Missing_components_are_empty()
    {
        var pn = new DicomDataset().AddOrUpdate(DicomTags.PatientName, "Doe").GetPersonName(DicomTags.PatientName);
        Assert.Equal("Doe", pn.FamilyName);
        Assert.Equal("", pn.GivenName);
        Assert.Equal("", pn.Suffix);
    }

    [Fact]
    public void Three_component_groups_are_alphabetic_ideographic_phonetic()
    {
        // PS3.5 Annex H example, with ISO 2022 IR 87 for the ideographic and phonetic groups.
        var ds = new DicomDataset().AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, "", "ISO 2022 IR 87");
        ds.AddOrUpdate(DicomTags.PatientName, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        var pn = ds.GetPersonName(DicomTags.PatientName);
        Assert.Equal("Yamada^Tarou", pn.Alphabetic);
        Assert.Equal("山田^太郎", pn.Ideographic);
        Assert.Equal("やまだ^たろう", pn.Phonetic);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", pn.ToString());
        Assert.Contains((byte)0x1B, ds.GetBytes(DicomTags.PatientName).ToArray());
        Assert.Equal(0, ds.GetBytes(DicomTags.PatientName).Length % 2);
    }

    [Fact]
    public void An_empty_ideographic_group_keeps_the_phonetic_one_in_third_place()
    {
        var pn = DicomPersonName.Parse("Doe^John==Dough^Jon");
        Assert.Equal("", pn.Ideographic);
        Assert.Equal("Dough^Jon", pn.Phonetic);
        Assert.Equal("Doe^John==Dough^Jon", pn.ToString());
    }

    [Fact]
    public void Several_names_split_on_backslash_not_on_caret_or_equals()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.OtherPatientNames, "A^B=C", "D^E");
        Assert.Equal(["A^B=C", "D^E"], ds.GetStrings(DicomTags.OtherPatientNames));
        Assert.Equal(DicomTextKind.PersonName, DicomValueCodec.TextKind(DicomVR.PN));
    }
}
