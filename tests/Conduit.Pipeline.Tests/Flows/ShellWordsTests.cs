using Conduit.Pipeline.Flows.Loading;

namespace Conduit.Pipeline.Tests.Flows;

public sealed class ShellWordsTests
{
    [Theory]
    [InlineData("ls -la /input", new[] { "ls", "-la", "/input" })]
    [InlineData("sh -c 'echo $X; cp -r /input /output/'", new[] { "sh", "-c", "echo $X; cp -r /input /output/" })]
    [InlineData("say \"a \\\"quoted\\\" word\" end", new[] { "say", "a \"quoted\" word", "end" })]
    [InlineData("a\\ b  c", new[] { "a b", "c" })]
    [InlineData("x''y \"\"", new[] { "xy", "" })]
    [InlineData("   ", new string[0])]
    public void Commands_split_like_a_posix_shell(string command, string[] expected)
    {
        Assert.Equal(expected, ShellWords.Split(command, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("sh -c 'echo", "a single quote is not closed")]
    [InlineData("echo \"x", "a double quote is not closed")]
    public void An_unclosed_quote_is_an_error(string command, string expected)
    {
        Assert.Null(ShellWords.Split(command, out var error));
        Assert.Equal(expected, error);
    }
}
