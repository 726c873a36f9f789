using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;
using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Tests.Flows;

/// <summary>Triggers on real instances from the sample corpus, with the explanation <c>flow test</c> prints.</summary>
public sealed class TriggerMatchingTests
{
    private static DatasetTagValues Sample(string path) =>
        new(DicomFile.Open(Samples.Get(path).FullPath, DicomReadOptions.HeaderOnly).Dataset);

    private static readonly DatasetTagValues Ct = Sample("ts-explicit-vr-le/CT_small.dcm");
    private static readonly DatasetTagValues Mr = Sample("ts-explicit-vr-le/MR_small.dcm");

    private static TriggerSet Triggers(string yaml) => FlowText.Valid("triggers:\n" + yaml).Triggers;

    [Fact]
    public void A_modality_trigger_tells_ct_from_mr()
    {
        var ct = Triggers("  - Modality: CT\n");

        Assert.True(ct.Matches(Ct));
        Assert.False(ct.Matches(Mr));
        var explained = Assert.Single(ct.Evaluate(Mr).Maps).Conditions.Single();
        Assert.Equal("'MR' does not match /CT/", explained.Detail);
        Assert.Equal("MR", explained.Value);
    }

    [Fact]
    public void A_regex_must_match_the_whole_value_so_CT_does_not_match_RTSTRUCT()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.Modality, "RTSTRUCT");

        Assert.False(Triggers("  - Modality: CT\n").Matches(new DatasetTagValues(ds)));
        Assert.True(Triggers("  - Modality: '.*CT'\n").Matches(new DatasetTagValues(ds)));
    }

    [Fact]
    public void Any_map_of_the_list_is_enough_and_all_entries_of_a_map_must_match_in_the_same_instance()
    {
        var either = Triggers("  - Modality: CT\n    ImageType: '.*AXIAL.*'\n  - Modality: MR\n");
        var both = Triggers("  - Modality: CT\n    PatientName: '.*MR1'\n");

        Assert.True(either.Matches(Ct));
        Assert.True(either.Matches(Mr));
        Assert.False(both.Matches(Ct)); // CT_small's PatientName is CompressedSamples^CT1
        var evaluation = both.Evaluate(Ct).Maps.Single();
        Assert.Equal([true, false], evaluation.Conditions.Select(c => c.Matched));
    }

    [Fact]
    public void Tags_may_be_named_by_keyword_or_by_group_and_element_in_either_form()
    {
        foreach (var tag in new[] { "Modality", "'(0008,0060)'", "0008,0060", "'(0008,0060)'" })
            Assert.True(Triggers($"  - {tag}: CT\n").Matches(Ct), tag);
    }

    [Fact]
    public void A_multi_valued_element_matches_when_any_single_value_or_the_whole_backslash_joined_value_matches()
    {
        // CT_small: ImageType = ORIGINAL\PRIMARY\AXIAL
        Assert.True(Triggers("  - ImageType: AXIAL\n").Matches(Ct));
        Assert.True(Triggers("  - ImageType: 'ORIGINAL\\\\PRIMARY\\\\AXIAL'\n").Matches(Ct));
        Assert.False(Triggers("  - ImageType: LOCALIZER\n").Matches(Ct));
    }

    [Fact]
    public void Negation_excludes_with_a_bang_prefix_or_a_not_map_and_an_absent_tag_satisfies_it()
    {
        Assert.False(Triggers("  - ImageType: '!AXIAL'\n").Matches(Ct));
        Assert.True(Triggers("  - ImageType: '!LOCALIZER'\n").Matches(Ct));
        Assert.False(Triggers("  - Modality: {not: [CT, MR]}\n").Matches(Mr));
        Assert.True(Triggers("  - Modality: {not: US}\n").Matches(Mr));
        Assert.True(Triggers("  - PatientComments: '!X'\n").Matches(Mr)); // MR_small has no PatientComments
        var explained = Triggers("  - ImageType: '!AXIAL'\n").Evaluate(Ct).Maps.Single().Conditions.Single();
        Assert.Equal("'ORIGINAL\\PRIMARY\\AXIAL' matches excluded /AXIAL/", explained.Detail);
    }

    [Fact]
    public void An_absent_tag_fails_a_positive_pattern_and_says_so()
    {
        var result = Triggers("  - PatientComments: '.*'\n").Evaluate(Mr).Maps.Single().Conditions.Single();

        Assert.False(result.Matched);
        Assert.Null(result.Value);
        Assert.Equal("absent does not match /.*/", result.Detail);
    }

    [Fact]
    public void Values_are_compared_after_decoding_with_the_specific_character_set()
    {
        // chrH31: ISO 2022 IR 87, PatientName Yamada^Tarou=山田^太郎=やまだ^たろう
        Assert.True(Triggers("  - PatientName: '.*山田.*'\n").Matches(Sample("charset/chrH31.dcm")));
        // chrRuss: ISO_IR 144 (Cyrillic)
        Assert.True(Triggers("  - PatientName: '(?i)Люк.*'\n").Matches(Sample("charset/chrRuss.dcm")));
    }

    [Fact]
    public void Numbers_and_uids_are_matched_as_text()
    {
        Assert.True(Triggers("  - Rows: '128'\n    SOPClassUID: '1\\.2\\.840\\.10008\\.5\\.1\\.4\\.1\\.1\\.2'\n").Matches(Ct));
    }

    [Fact]
    public void No_trigger_maps_match_every_instance()
    {
        var all = FlowText.Valid("name: all\n").Triggers;

        Assert.True(all.Matches(Ct) && all.Matches(Mr));
        Assert.True(all.EvaluateBatch([Ct]).Matched);
    }

    [Fact]
    public void A_conduit_batch_matches_when_any_of_its_instances_matches()
    {
        var ct = Triggers("  - Modality: CT\n");

        Assert.True(ct.EvaluateBatch([Mr, Ct]).Matched);
        Assert.Equal("1 of 2 instance(s) match a trigger", ct.EvaluateBatch([Mr, Ct]).Reason);
        Assert.False(ct.EvaluateBatch([Mr]).Matched);
    }

    [Fact]
    public void A_pathological_regex_times_out_and_counts_as_no_match()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTags.PatientComments, new string('a', 5000) + "!");
        var result = Triggers("  - PatientComments: '(a+)+b'\n").Evaluate(new DatasetTagValues(ds)).Maps.Single().Conditions.Single();

        Assert.False(result.Matched);
        Assert.Contains("timed out", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Keyword_tag_values_from_the_grouping_layer_match_like_a_dataset()
    {
        var tags = new KeywordTagValues(new Dictionary<string, string> { ["Modality"] = "CT", ["ImageType"] = "ORIGINAL\\PRIMARY" });

        Assert.True(Triggers("  - Modality: CT\n    ImageType: PRIMARY\n").Matches(tags));
        Assert.False(Triggers("  - SeriesDescription: '.*'\n").Matches(tags));
    }
}
