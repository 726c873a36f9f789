using System.CommandLine;
using System.Runtime.InteropServices;
using Conduit.Hosting;
using Conduit.Logging;

namespace Conduit.Commands;

/// <summary><c>conduit serve</c>: the receiver, the pipeline and the HTTP API in one process.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = ConfigCommand.CreateConfigOption();
        var command = new Command("serve",
            "Run Conduit: the C-STORE SCP (default port 11112, AE title CONDUIT), the pipeline that groups series and studies, " +
            "matches flows (./flows) and runs their jobs, and the HTTP API (default http://127.0.0.1:8080). Data goes to " +
            "./conduit-data. Prints 'listening on ADDR:PORT as AE' and 'http on URL' once ready; logs go to standard error. " +
            "SIGINT/SIGTERM stop it; work in progress resumes at the next start.")
        {
            config,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = ConfigCommand.LoadOrReport(parse.GetValue(config));
            if (loaded is null) return ExitCodes.InvalidConfiguration;
            var options = loaded.Options;

            using var loggerFactory = new StderrLoggerProvider(options.Logging.Level);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            var server = new ConduitServer(options, loggerFactory);
            server.Ready += line =>
            {
                Console.Out.WriteLine(line);
                Console.Out.Flush();
            };
            try
            {
                return await server.RunAsync(stop.Token);
            }
            catch (Exception ex) when (ex is ServeException or System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: conduit serve cannot start: {ex.Message}");
                return ExitCodes.NetworkFailure;
            }
        });
        return command;
    }
}
