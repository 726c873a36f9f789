using Conduit.Pipeline.Files;

namespace Conduit.Pipeline.Tests.Files;

public sealed class SafePathTests
{
    [Theory]
    [InlineData("1.2.840.10008.5.1.4.1.1.2")]
    [InlineData("2.25.329800735698586629295641978511506172918")]
    [InlineData("0")]
    [InlineData("1.02.3")] // a leading zero breaks PS3.5 §9.1, but the SCP accepts it too and it is path-safe: one rule everywhere
    public void Valid_uids_are_accepted(string uid) => Assert.True(SafePath.IsValidUid(uid));

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../../etc/passwd")]
    [InlineData("1.2..3")]
    [InlineData("1.2.3.")]
    [InlineData("1.2.3 ")]
    [InlineData("1/2/3")]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26")]
    public void Anything_else_is_refused_before_it_becomes_a_path(string uid)
    {
        Assert.False(SafePath.IsValidUid(uid));
        var error = Assert.Throws<ArgumentException>(() => SafePath.UidSegment(uid, "SOP Instance UID"));
        Assert.Contains("SOP Instance UID", error.Message);
    }

    [Theory]
    [InlineData("CT", "CT")]
    [InlineData("../../etc", ".._.._etc")]
    [InlineData("..", "___")]
    [InlineData(".", "__")]
    [InlineData("Head^Neck 1/2", "Head_Neck_1_2")]
    [InlineData("", "_")]
    [InlineData(null, "_")]
    [InlineData("Ünïcode", "_n_code")]
    public void Tag_values_become_one_harmless_segment(string? value, string expected) =>
        Assert.Equal(expected, SafePath.Segment(value));

    [Fact]
    public void Long_values_are_cut_to_64_characters() => Assert.Equal(64, SafePath.Segment(new string('a', 500)).Length);
}
