using System.CommandLine;
using System.Net;
using System.Runtime.InteropServices;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Scp;
using Conduit.Logging;
using Microsoft.Extensions.Logging;

namespace Conduit.Commands;

/// <summary>`conduit receive`: a storescp-like C-STORE/C-ECHO receiver writing Part 10 files.</summary>
internal static class ReceiveCommand
{
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = $"TCP port to listen on; 0 picks a free port (printed on the 'listening on' line). Default {StoreScpOptions.DefaultPort}.", HelpName = "P", DefaultValueFactory = _ => StoreScpOptions.DefaultPort };
        var bind = new Option<string>("--bind") { Description = "Address to bind. Default 0.0.0.0 (every interface).", HelpName = "ADDR", DefaultValueFactory = _ => "0.0.0.0" };
        var aet = new Option<string>("--aet") { Description = $"This receiver's AE title; requests calling another title are rejected. Default {StoreScpOptions.DefaultAeTitle}.", HelpName = "AE", DefaultValueFactory = _ => StoreScpOptions.DefaultAeTitle };
        var output = new Option<string>("--out") { Description = "Output directory: instances go to DIR/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm, temporary files to DIR/.incoming. Default ./received.", HelpName = "DIR", DefaultValueFactory = _ => "received" };
        var maxAssociations = new Option<int>("--max-associations") { Description = $"Associations served at once; the next is rejected (transient, local limit exceeded). Default {StoreScpOptions.DefaultMaxAssociations}.", HelpName = "N", DefaultValueFactory = _ => StoreScpOptions.DefaultMaxAssociations };
        var fsync = new Option<bool>("--fsync") { Description = "fsync each instance before answering success (the default): an acknowledged instance survives a power cut." };
        var noFsync = new Option<bool>("--no-fsync") { Description = "Do not fsync: faster, but instances acknowledged just before a power cut may be lost." };
        var allow = new Option<string[]>("--allow") { Description = "Accept only this calling AE title, optionally only from HOST (an address or a name); repeat for more. Default: any caller.", HelpName = "CALLING_AE[@HOST]", Arity = ArgumentArity.ZeroOrMore };
        var uncompressedOnly = new Option<bool>("--uncompressed-only") { Description = "Accept only uncompressed transfer syntaxes (Explicit VR LE, Implicit VR LE, Explicit VR BE). Default: a proposed compressed syntax is accepted and stored as is." };
        var idleTimeout = new Option<int>("--idle-timeout") { Description = $"Abort an association that sends no whole PDU for this many seconds while we wait for it; 0 disables. Also bounds the wait for the association request (ARTIM, at most {StoreScpOptions.DefaultArtimTimeout.TotalSeconds:0} s). Default {StoreScpOptions.DefaultIdleTimeout.TotalSeconds:0}.", HelpName = "SECONDS", DefaultValueFactory = _ => (int)StoreScpOptions.DefaultIdleTimeout.TotalSeconds };
        var maxPdu = new Option<uint>("--max-pdu-length") { Description = $"Maximum PDU length advertised to peers, 4096-{StoreScpOptions.LenientPduLengthCeiling}. Default {StoreScpOptions.DefaultMaxPduLength}.", HelpName = "BYTES", DefaultValueFactory = _ => StoreScpOptions.DefaultMaxPduLength };
        var strictPdu = new Option<bool>("--strict-pdu-length") { Description = "Abort an association whose peer sends a PDU longer than the advertised maximum (by default such PDUs are accepted up to 16 MiB)." };
        var verbose = new Option<bool>("--verbose") { Description = "Log every stored instance (by default only associations and failures are logged)." };

        var command = new Command("receive", "Receive DICOM instances (C-STORE SCP, and C-ECHO) and write them as Part 10 files. Prints 'listening on ADDR:PORT as AE' on standard output once bound; logs go to standard error. SIGINT/SIGTERM stop it (open associations get a few seconds).")
        {
            port, bind, aet, output, maxAssociations, fsync, noFsync, allow, uncompressedOnly, idleTimeout, maxPdu, strictPdu, verbose,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(fsync) && result.GetValue(noFsync)) result.AddError("--fsync and --no-fsync cannot both be given.");
            if (result.GetValue(idleTimeout) < 0) result.AddError("--idle-timeout must be 0 (never) or a number of seconds.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var loggerFactory = new StderrLoggerProvider(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            if (!IPAddress.TryParse(parse.GetValue(bind), out var bindAddress))
            {
                Console.Error.WriteLine($"error: --bind: '{parse.GetValue(bind)}' is not an IP address.");
                return ExitCodes.Usage;
            }
            StoreScpOptions options;
            try
            {
                options = new StoreScpOptions
                {
                    Port = parse.GetValue(port),
                    BindAddress = bindAddress,
                    AeTitle = parse.GetValue(aet)!,
                    OutputDirectory = parse.GetValue(output)!,
                    MaxAssociations = parse.GetValue(maxAssociations),
                    Durable = !parse.GetValue(noFsync),
                    AllowedCallingAeTitles = parse.GetValue(allow) is { Length: > 0 } rules ? rules.Select(CallingAeRule.Parse).ToArray() : null,
                    TransferSyntaxPolicy = parse.GetValue(uncompressedOnly) ? TransferSyntaxPolicy.UncompressedOnly : TransferSyntaxPolicy.AcceptCompressed,
                    IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idleTimeout)),
                    // A connection that never asks for an association is idle too: a shorter idle timeout shortens ARTIM.
                    ArtimTimeout = parse.GetValue(idleTimeout) is > 0 and var idle && idle < StoreScpOptions.DefaultArtimTimeout.TotalSeconds
                        ? TimeSpan.FromSeconds(idle) : StoreScpOptions.DefaultArtimTimeout,
                    MaxPduLength = parse.GetValue(maxPdu),
                    StrictPduLength = parse.GetValue(strictPdu),
                };
                options.Validate();
            }
            catch (Exception ex) when (ex is ArgumentException or System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Usage;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stop.Cancel();
            }

            StoreScp scp;
            try
            {
                scp = new StoreScp(options, loggerFactory);
                scp.Start();
            }
            catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot start the receiver: {ex.Message}");
                return ExitCodes.NetworkFailure;
            }
            await using (scp)
            {
                var endPoint = scp.LocalEndPoint;
                var stdout = Console.Out;
                await stdout.WriteLineAsync($"listening on {options.BindAddress}:{endPoint.Port} as {options.AeTitle}");
                await stdout.FlushAsync(CancellationToken.None);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
                await scp.StopAsync(ShutdownGrace, CancellationToken.None);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
