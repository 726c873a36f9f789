using System.Net;
using System.Net.Sockets;

namespace Conduit.Tests.Cli;

/// <summary><c>conduit serve</c> refuses what it cannot run with one clear line, before it listens on anything.</summary>
public sealed class ServeStartRefusalTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("conduit-serve-refusal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Queue_provider_rabbitmq_on_sqlite_is_refused_with_a_message_that_names_the_database_it_needs()
    {
        File.WriteAllText(Path.Combine(_dir, "conduit.yaml"), "queue:\n  provider: rabbitmq\n  connection_string: amqp://guest:guest@127.0.0.1:5672/\n");

        var run = await ConduitProcess.RunInAsync(_dir, null, "serve");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("queue.provider: rabbitmq needs database.provider postgres", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_database_that_does_not_answer_is_reported_without_its_password()
    {
        var port = ClosedPort();
        File.WriteAllText(Path.Combine(_dir, "conduit.yaml"), $"""
            database:
              provider: postgres
              connection_string: "Host=127.0.0.1;Port={port};Database=conduit;Username=conduit;Password=hunter2;Timeout=5"
            """);

        var run = await ConduitProcess.RunInAsync(_dir, null, "serve");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("error: conduit serve cannot start: the PostgreSQL database of database.connection_string cannot be opened:",
            run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (bound, read and closed).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
