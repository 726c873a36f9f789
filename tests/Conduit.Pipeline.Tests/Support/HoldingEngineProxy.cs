using System.Net.Sockets;
using System.Text;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>
/// A unix socket in front of a real container engine's socket that passes every byte through, except that it holds the
/// engine's answer to the first request whose request line contains <c>pathFragment</c> until <see cref="Release"/>:
/// the engine has done the work (say, created the container), and the client is still waiting for the answer. That is
/// the moment a test needs to cancel a call "while the engine works" without guessing at timings.
/// </summary>
internal sealed class HoldingEngineProxy : IDisposable
{
    private readonly string _engineSocket;
    private readonly byte[] _fragment;
    private readonly Socket _listener;
    private readonly TempDirectory _directory = new();
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private int _marked;

    public HoldingEngineProxy(string engineSocket, string pathFragment)
    {
        _engineSocket = engineSocket;
        _fragment = Encoding.ASCII.GetBytes(pathFragment);
        SocketPath = _directory.Combine("engine.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen();
        _ = AcceptAsync();
    }

    public string SocketPath { get; }

    /// <summary>Completes when the engine has answered the marked request and the answer is being held.</summary>
    public Task Held => _held.Task;

    /// <summary>Lets the held answer through (to a client that may have gone).</summary>
    public void Release() => _release.TrySetResult();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptAsync(_stop.Token);
                var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(_engineSocket), _stop.Token);
                lock (_sockets) _sockets.AddRange([client, engine]);
                var connection = new Connection();
                _ = PumpAsync(client, engine, connection, toEngine: true);
                _ = PumpAsync(engine, client, connection, toEngine: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    private async Task PumpAsync(Socket from, Socket to, Connection connection, bool toEngine)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    break;
                }
                if (toEngine && buffer.AsSpan(0, read).IndexOf(_fragment) >= 0 && Interlocked.Exchange(ref _marked, 1) == 0)
                {
                    connection.Marked = true;
                }
                else if (!toEngine && connection.Marked && !connection.Answered)
                {
                    connection.Answered = true;
                    _held.TrySetResult();
                    await _release.Task.WaitAsync(_stop.Token);
                }
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // One side went away (a cancelled client closes its connection) or the proxy is disposed.
        }
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _stop.Cancel();
        _listener.Dispose();
        lock (_sockets)
        {
            foreach (var socket in _sockets) socket.Dispose();
        }
        _stop.Dispose();
        _directory.Dispose();
    }

    private sealed class Connection
    {
        public volatile bool Marked;
        public volatile bool Answered;
    }
}
