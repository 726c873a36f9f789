using System.Net;
using System.Net.Sockets;
using Conduit.Pipeline.Queue;
using Conduit.Tests.Cli;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using RabbitMQ.Client;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// <c>conduit serve</c> with <c>database.provider: postgres</c> and <c>queue.provider: rabbitmq</c> (a private broker,
/// <see cref="RabbitFixture"/>, and the throw-away PostgreSQL cluster): storescu sends a series, the job id goes
/// through the broker and the job runs and delivers.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeRabbitTests(ServePeers peers, RabbitFixture broker) : IClassFixture<RabbitFixture>, IDisposable
{
    private ServeSite? _site;

    /// <summary>A serve site on a fresh PostgreSQL schema with its queue on the broker at <paramref name="amqpUri"/>.</summary>
    private async Task<ServeSite> SiteOnPostgresAsync(string amqpUri)
    {
        var connectionString = await (await PostgresServer.Shared).CreateSchemaAsync();
        return new ServeSite(peers.Podman.SocketPath, $"""
            database:
              provider: postgres
              connection_string: "{connectionString}"
            queue:
              provider: rabbitmq
              connection_string: "{amqpUri}"
            """);
    }

    [Fact]
    public async Task A_series_sent_to_serve_on_postgres_and_rabbitmq_runs_its_job_through_the_broker()
    {
        _site = await SiteOnPostgresAsync(broker.Server.Uri.ToString());
        var delivered = _site.Sub("delivered");
        _site.WriteFlow("copy.yaml", $$"""
            name: copy
            priority: 4
            triggers:
              - Modality: CT
            destinations:
              - name: archive
                type: folder
                path: {{delivered}}
            """);
        await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 3 });

        await _site.SendAsync(series);
        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);

        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), ServeSite.DeliveredSopInstanceUids(delivered));
        // serve consumes the broker's queue, and nothing is left in it: the job's message was acked once it ran.
        var factory = new ConnectionFactory { Uri = broker.Server.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = await channel.QueueDeclarePassiveAsync(RabbitJobQueueOptions.DefaultQueueName);
        Assert.Equal((0u, 1u), (queue.MessageCount, queue.ConsumerCount));
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_is_reported_without_its_password()
    {
        _site = await SiteOnPostgresAsync($"amqp://conduit:hunter2@127.0.0.1:{ClosedPort()}/");

        var run = await ConduitProcess.RunInAsync(_site.Directory, null, "serve");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("error: conduit serve cannot start: the RabbitMQ broker of queue.connection_string (amqp://127.0.0.1:", run.Stderr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", run.Stderr + run.Stdout, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (bound, read and closed).</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => _site?.Dispose();
}
