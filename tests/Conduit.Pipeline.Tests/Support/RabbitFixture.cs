namespace Conduit.Pipeline.Tests.Support;

/// <summary>
/// One private broker (<see cref="RabbitServer"/>) for the tests that share it: xUnit starts it before the first of
/// them and stops it after the last, failed or not.
/// </summary>
public sealed class RabbitFixture : IAsyncLifetime
{
    private RabbitServer? _server;

    public RabbitServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    public async Task InitializeAsync() => _server = await RabbitServer.StartAsync();

    public Task DisposeAsync()
    {
        _server?.Dispose();
        return Task.CompletedTask;
    }
}
