using Conduit.Commands;

namespace Conduit.Tests.Cli;

/// <summary>The command table builds only the command being run; its names must be the commands' own.</summary>
public sealed class CommandTableTests
{
    [Fact]
    public void Each_entry_creates_the_command_it_is_named_after()
    {
        foreach (var (name, create) in CommandTable.All)
            Assert.Equal(name, create().Name);
    }

    [Fact]
    public void A_named_command_is_built_alone_and_anything_else_builds_them_all()
    {
        Assert.Equal(["send"], CommandTable.CreateRoot(["send", "127.0.0.1:104", "x.dcm"]).Subcommands.Select(c => c.Name));
        Assert.Equal(CommandTable.All.Select(c => c.Name), CommandTable.CreateRoot(["--help"]).Subcommands.Select(c => c.Name));
        Assert.Equal(CommandTable.All.Select(c => c.Name), CommandTable.CreateRoot([]).Subcommands.Select(c => c.Name));
        Assert.Equal(CommandTable.All.Select(c => c.Name), CommandTable.CreateRoot(["sned"]).Subcommands.Select(c => c.Name));
    }

    [Fact]
    public async Task The_root_help_still_lists_every_command()
    {
        var run = await ConduitProcess.RunAsync("--help");
        Assert.True(run.ExitCode == 0, run.Stderr);
        foreach (var (name, _) in CommandTable.All)
            Assert.Contains($"  {name}", run.Stdout);
    }
}
