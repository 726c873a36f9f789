using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Queue;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client.Exceptions;

namespace Conduit.Hosting;

/// <summary>
/// Builds the job queue <c>queue.provider</c> names over the store's database: <c>inprocess</c> is the database's own
/// queue table (<see cref="SqlJobQueue"/>); <c>rabbitmq</c> keeps that table as the source of truth for job state and
/// has the broker distribute job ids to the nodes (<see cref="RabbitJobQueue"/>). The validator has made sure rabbitmq
/// comes with database.provider postgres and an amqp:// or amqps:// URI.
/// </summary>
internal static class JobQueues
{
    public static async Task<IJobQueue> OpenAsync(ConduitOptions options, StoreDatabase database, string nodeId, ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var table = new SqlJobQueue(database, loggerFactory.CreateLogger<SqlJobQueue>());
        if (options.Queue.Provider != QueueProvider.RabbitMq) return table;

        var uri = new Uri(options.Queue.ConnectionString!);
        try
        {
            return await RabbitJobQueue.ConnectAsync(table,
                new RabbitJobQueueOptions(uri, options.Workers.Concurrency)
                {
                    ClientName = $"conduit {nodeId}",
                    RepublishInterval = options.Queue.RepublishInterval,
                },
                database.Time, loggerFactory.CreateLogger<RabbitJobQueue>(), cancellationToken);
        }
        catch (Exception e) when (e is BrokerUnreachableException or OperationInterruptedException or AuthenticationFailureException)
        {
            // The URI's user and password stay out of the message: only the broker's address is named.
            throw new ServeException($"the RabbitMQ broker of queue.connection_string ({uri.Scheme}://{uri.Host}:{uri.Port}{uri.AbsolutePath}) "
                + $"cannot be reached: {(e.InnerException ?? e).Message}");
        }
    }
}
