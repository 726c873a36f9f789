using System.CommandLine;

namespace Conduit.Commands;

/// <summary>
/// Conduit's commands, each built only when it is the one run: a process that sends or echoes should not pay for
/// building serve's options, validators and help (start-up counts in `conduit send`'s figures). Without a known
/// command name first (the root help, a typo), all are built, so the root help and the suggestions see every command.
/// </summary>
internal static class CommandTable
{
    public static readonly (string Name, Func<Command> Create)[] All =
    [
        ("dump", DumpCommand.Create),
        ("receive", ReceiveCommand.Create),
        ("send", SendCommand.Create),
        ("echo", EchoCommand.Create),
        ("config", ConfigCommand.Create),
        ("flow", FlowCommand.Create),
        ("serve", ServeCommand.Create),
        ("user", UserCommand.Create),
        ("token", TokenCommand.Create),
    ];

    public static RootCommand CreateRoot(string[] args)
    {
        var root = new RootCommand("Conduit: a DICOM router and processing orchestrator.");
        var named = args.Length > 0 ? Array.Find(All, c => c.Name == args[0]).Create : null;
        foreach (var create in named is null ? All.Select(c => c.Create) : [named])
            root.Subcommands.Add(create());
        return root;
    }
}
