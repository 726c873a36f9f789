using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Support;

/// <summary>
/// Ports for peers that need a number up front (storescp, Orthanc): bind port 0 on loopback, read the port the
/// kernel chose, release it and pass it on. Never a counter, never a fixed port.
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>
    /// True once some socket is in LISTEN state on <paramref name="port"/> (IPv4 or IPv6), read from /proc/net/tcp*.
    /// Polling the kernel's table, not connecting, so a peer that logs every connection sees no probe.
    /// </summary>
    public static bool IsListening(int port)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "  sl  local_address rem_address   st ..." — local_address is HEXADDR:HEXPORT, st 0A is LISTEN.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A") continue;
                var colon = fields[1].LastIndexOf(':');
                if (colon > 0 && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var p) && p == port)
                    return true;
            }
        }
        return false;
    }

    /// <summary>Waits until <paramref name="port"/> is listening or the process has exited, whichever comes first.</summary>
    public static async Task WaitUntilListeningAsync(int port, RunningProcess owner, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!IsListening(port))
        {
            if (owner.HasExited)
                throw new InvalidOperationException($"exited with code {owner.ExitCode} before listening on port {port}: {owner.Output}");
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not listening on port {port} after {timeout.TotalSeconds:0} s: {owner.Output}");
            await Task.Delay(25, cancellationToken);
        }
    }
}
