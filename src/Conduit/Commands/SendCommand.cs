using System.CommandLine;
using System.Globalization;
using Conduit.Dicom.Network.Scu;
using Conduit.Logging;
using Microsoft.Extensions.Logging;

namespace Conduit.Commands;

/// <summary>`conduit send`: a storescu-like C-STORE SCU for files and folders.</summary>
internal static class SendCommand
{
    public static Command Create()
    {
        var peer = new Argument<string>("HOST:PORT") { Description = "The C-STORE SCP to send to (an IPv6 address in brackets: [::1]:104)." };
        var paths = new Argument<string[]>("PATH") { Description = "DICOM files, and folders searched recursively; files that are not DICOM are reported as failed.", Arity = ArgumentArity.OneOrMore };
        var aet = new Option<string>("--aet") { Description = $"Our (calling) AE title. Default {ScuOptions.DefaultCallingAeTitle}.", HelpName = "CALLING", DefaultValueFactory = _ => ScuOptions.DefaultCallingAeTitle };
        var call = new Option<string>("--call") { Description = $"The peer's (called) AE title. Default {ScuOptions.DefaultCalledAeTitle}.", HelpName = "CALLED", DefaultValueFactory = _ => ScuOptions.DefaultCalledAeTitle };
        var associations = new Option<int>("--associations") { Description = "Parallel associations, 1-64. Default 1.", HelpName = "N", DefaultValueFactory = _ => 1 };
        var maxPdu = new Option<uint>("--max-pdu-length") { Description = $"Maximum PDU length we receive, advertised to the peer (we send PDUs as large as the peer accepts). Default {ScuOptions.DefaultMaxPduLength}.", HelpName = "BYTES", DefaultValueFactory = _ => ScuOptions.DefaultMaxPduLength };
        var retries = new Option<int>("--retries") { Description = "Retries after a failed connection or a lost association, with doubling delays from 1 s. Default 2.", HelpName = "N", DefaultValueFactory = _ => 2 };
        var command = new Command("send", "Send DICOM files to a C-STORE SCP. Each failed file gets a line 'failed: PATH: REASON' on standard error; the summary 'sent S of T instances (F failed), B bytes, X instances/s, Y MB/s' ends standard output. Exit code 0: all sent; 3: some failed; 4: the peer could not be reached or refused the association.")
        {
            peer, paths, aet, call, associations, maxPdu, retries,
        };
        command.Validators.Add(result =>
        {
            if (!PeerAddress.TryParse(result.GetValue(peer), out _)) result.AddError($"'{result.GetValue(peer)}' is not HOST:PORT.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            PeerAddress.TryParse(parse.GetValue(peer), out var address);
            var options = new ScuOptions
            {
                CallingAeTitle = parse.GetValue(aet)!,
                CalledAeTitle = parse.GetValue(call)!,
                Associations = parse.GetValue(associations),
                MaxPduLength = parse.GetValue(maxPdu),
                Retries = parse.GetValue(retries),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Usage;
            }
            var files = StoreScu.ExpandPaths(parse.GetValue(paths)!);
            if (files.Count == 0)
            {
                Console.Error.WriteLine("error: no files found under the given paths");
                return ExitCodes.BadInput;
            }

            using var loggerFactory = new StderrLoggerProvider(LogLevel.Warning);
            var bar = Console.IsErrorRedirected ? null : new ProgressBar();
            var report = await StoreScu.SendAsync(address.Host, address.Port, files, options, bar, loggerFactory.CreateLogger("send"), cancellationToken);
            bar?.Clear();

            foreach (var result in report.Results.Where(r => !r.Succeeded))
                Console.Error.WriteLine($"failed: {result.Path}: {result.FailureReason}");
            var seconds = Math.Max(report.Elapsed.TotalSeconds, 1e-6);
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(inv,
                $"sent {report.Sent} of {report.Results.Count} instances ({report.Failed} failed), {report.BytesSent} bytes, {report.Sent / seconds:0.0} instances/s, {report.BytesSent / 1e6 / seconds:0.0} MB/s"));
            if (report.Failed == 0) return ExitCodes.Success;
            if (report.PeerUnreachable)
            {
                Console.Error.WriteLine($"error: {report.NetworkError}");
                return ExitCodes.NetworkFailure;
            }
            return ExitCodes.PartialFailure;
        });
        return command;
    }

    /// <summary>A one-line progress bar on standard error, redrawn at most ten times a second; only used on a terminal.</summary>
    private sealed class ProgressBar : IProgress<StoreScuProgress>
    {
        private readonly Lock _gate = new();
        private long _lastDraw;

        public void Report(StoreScuProgress value)
        {
            var now = Environment.TickCount64;
            lock (_gate)
            {
                if (value.Completed != value.Total && now - _lastDraw < 100) return;
                _lastDraw = now;
                const int width = 30;
                var filled = value.Total == 0 ? width : value.Completed * width / value.Total;
                Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
                    $"\r[{new string('#', filled)}{new string('.', width - filled)}] {value.Completed}/{value.Total}, {value.Failed} failed, {value.Bytes / 1e6:0.0} MB "));
            }
        }

        public void Clear()
        {
            lock (_gate) Console.Error.Write("\r" + new string(' ', 79) + "\r");
        }
    }
}
