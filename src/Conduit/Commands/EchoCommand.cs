using System.CommandLine;
using System.Net.Sockets;
using Conduit.Dicom.Network.Association;
using Conduit.Dicom.Network.Scu;

namespace Conduit.Commands;

/// <summary>`conduit echo`: C-ECHO a peer (is it there, does it accept us).</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var peer = new Argument<string>("HOST:PORT") { Description = "The peer to echo (an IPv6 address in brackets: [::1]:104)." };
        var aet = new Option<string>("--aet") { Description = $"Our (calling) AE title. Default {ScuOptions.DefaultCallingAeTitle}.", HelpName = "CALLING", DefaultValueFactory = _ => ScuOptions.DefaultCallingAeTitle };
        var call = new Option<string>("--call") { Description = $"The peer's (called) AE title. Default {ScuOptions.DefaultCalledAeTitle}.", HelpName = "CALLED", DefaultValueFactory = _ => ScuOptions.DefaultCalledAeTitle };
        var command = new Command("echo", "Send a C-ECHO (Verification) to a DICOM peer. Prints 'echo ok: HOST:PORT in N ms' and exits 0; exits 4 with the reason on standard error when the peer cannot be reached, refuses the association or the echo.")
        {
            peer, aet, call,
        };
        command.Validators.Add(result =>
        {
            if (!PeerAddress.TryParse(result.GetValue(peer), out _)) result.AddError($"'{result.GetValue(peer)}' is not HOST:PORT.");
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            PeerAddress.TryParse(parse.GetValue(peer), out var address);
            var options = new ScuOptions { CallingAeTitle = parse.GetValue(aet)!, CalledAeTitle = parse.GetValue(call)!, ResponseTimeout = TimeSpan.FromSeconds(30) };
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Usage;
            }
            try
            {
                var elapsed = await EchoScu.EchoAsync(address.Host, address.Port, options, cancellationToken: cancellationToken);
                Console.WriteLine($"echo ok: {address} in {elapsed.TotalMilliseconds:0} ms");
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is SocketException or AssociationException or IOException)
            {
                Console.Error.WriteLine($"error: echo {address} failed: {ex.Message}");
                return ExitCodes.NetworkFailure;
            }
        });
        return command;
    }
}
