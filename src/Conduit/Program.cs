using System.CommandLine;
using Conduit.Commands;

var root = new RootCommand("Conduit: a DICOM router and processing orchestrator.")
{
    DumpCommand.Create(),
    ReceiveCommand.Create(),
    SendCommand.Create(),
    EchoCommand.Create(),
    ConfigCommand.Create(),
    FlowCommand.Create(),
    ServeCommand.Create(),
    UserCommand.Create(),
    TokenCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
