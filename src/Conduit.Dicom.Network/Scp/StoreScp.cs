using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Conduit.Dicom.Network.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The C-STORE / C-ECHO SCP: accepts TCP connections and runs one <see cref="ScpAssociation"/> per connection, at most
/// <see cref="StoreScpOptions.MaxAssociations"/> of them associated at once (the next gets a transient rejection).
/// </summary>
/// <example>
/// <code>
/// await using var scp = new StoreScp(new StoreScpOptions { Port = 0, OutputDirectory = "in" }, loggerFactory);
/// scp.Start();
/// Console.WriteLine(scp.LocalEndPoint);
/// ...
/// await scp.StopAsync(TimeSpan.FromSeconds(5));
/// </code>
/// </example>
public sealed class StoreScp : IAsyncDisposable
{
    private readonly StoreScpOptions _options;
    private readonly ILogger _logger;
    private readonly InstanceStore _store;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _stopAssociations = new();
    private readonly string _idPrefix = Convert.ToHexString(BitConverter.GetBytes(Environment.TickCount64))[..6].ToLowerInvariant();
    private Socket? _listener;
    private Task? _acceptLoop;
    private long _nextId;
    private int _disposed;

    public StoreScp(StoreScpOptions options, ILoggerFactory? loggerFactory = null)
    {
        options.Validate();
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Conduit.Dicom.Network.Scp");
        _store = new InstanceStore(options.OutputDirectory, options.StorageLayout, options.Durable, options.UnnamedTemporaryFiles,
            handDatasetOn: options.InstanceStoredHandler is not null);
        _slots = new SemaphoreSlim(options.MaxAssociations, options.MaxAssociations);
        Associations = new AssociationRegistry(options.AssociationObserver);
    }

    /// <summary>The accepted associations open now (a live view: calling AE, peer, start, instances so far).</summary>
    public AssociationRegistry Associations { get; }

    /// <summary>The bound address and port (the real port when <see cref="StoreScpOptions.Port"/> was 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("not started"));

    /// <summary>The absolute output directory.</summary>
    public string OutputDirectory => _store.Root;

    /// <summary>Connections open now (associated or not).</summary>
    public int OpenConnections => _connections.Count;

    /// <summary>Binds and starts accepting; returns once the port is bound.</summary>
    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("already started");
        var listener = new Socket(_options.BindAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(_options.BindAddress, _options.Port));
        listener.Listen(512);
        _listener = listener;
        _logger.Listening(listener.LocalEndPoint!, _options.AeTitle);
        _acceptLoop = AcceptLoopAsync(_stopAccepting.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        // Connections beyond this are closed at once: each costs a socket and up to one control PDU of memory
        // until ARTIM expires, so their number must be bounded too.
        var maxConnections = _options.MaxAssociations * 2 + 16;
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException ex)
            {
                _logger.AcceptFailed(ex);
                continue;
            }
            if (_connections.Count >= maxConnections)
            {
                _logger.TooManyConnections(socket.RemoteEndPoint, _connections.Count);
                socket.Close(0);
                continue;
            }
            var number = Interlocked.Increment(ref _nextId);
            var association = new ScpAssociation($"{_idPrefix}-{number}", socket, _options, _store, _slots, Associations, _logger);
            var task = Task.Run(() => association.RunAsync(_stopAssociations.Token), CancellationToken.None);
            _connections[number] = task;
            _ = task.ContinueWith((_, key) => _connections.TryRemove((long)key!, out Task? _), number, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Stops accepting, lets open associations finish for up to <paramref name="grace"/>, then aborts the rest.
    /// </summary>
    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (_listener is null) return;
        await _stopAccepting.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        var open = _connections.Values.ToArray();
        if (open.Length > 0)
        {
            _logger.Stopping(grace, open.Length);
            try
            {
                await Task.WhenAll(open).WaitAsync(grace, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
        await _stopAssociations.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_connections.Values.ToArray()).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent, as Dispose must be: a second call finds everything released.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync(TimeSpan.Zero).ConfigureAwait(false);
        _listener?.Dispose();
        _stopAccepting.Dispose();
        _stopAssociations.Dispose();
        _slots.Dispose();
        _store.Dispose();
    }
}
