using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Tests.Configuration;

public sealed class ValueFormatTests
{
    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("10m", 600_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("250ms", 250)]
    [InlineData("1800", 1_800_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData(" 45s ", 45_000)]
    public void Durations_parse_units_and_bare_seconds(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        // The shown form parses back to the same value.
        Assert.True(Durations.TryParse(Durations.Format(value), out var again));
        Assert.Equal(value, again);
    }

    [Theory]
    [InlineData("10 minutes")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("-5s")]
    [InlineData("")]
    public void Other_text_is_not_a_duration(string text)
    {
        Assert.False(Durations.TryParse(text, out _));
    }

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("4g", 4L << 30)]
    [InlineData("4GB", 4L << 30)]
    [InlineData("100k", 100L << 10)]
    [InlineData("1048576", 1L << 20)]
    public void Byte_sizes_use_binary_multiples_as_docker_does(string text, long bytes)
    {
        Assert.True(ByteSizes.TryParse(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("CONDUIT", null)]
    [InlineData("A B", null)]
    [InlineData("", "an AE title may not be empty")]
    [InlineData("   ", "an AE title may not be empty")]
    [InlineData("ABCDEFGHIJKLMNOPQ", "'ABCDEFGHIJKLMNOPQ' is longer than 16 characters, the AE title limit (PS3.5 §6.2)")]
    [InlineData("CAFÉ", "'CAFÉ' contains a character outside printable ASCII, which an AE title may not (PS3.5 §6.2)")]
    public void Ae_titles_follow_ps3_5(string title, string? problem)
    {
        Assert.Equal(problem, AeTitles.Problem(title));
    }

    [Theory]
    [InlineData("recever", new[] { "receiver", "http", "storage" }, "receiver")]
    [InlineData("prot", new[] { "port", "bind" }, "port")]
    [InlineData("queue", new[] { "grouping", "logging" }, null)]
    public void Suggestions_name_a_close_key_and_only_a_close_one(string typed, string[] known, string? expected)
    {
        Assert.Equal(expected, Suggestions.Closest(typed, known));
    }
}
