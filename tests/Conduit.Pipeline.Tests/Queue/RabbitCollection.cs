using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Queue;

/// <summary>The broker-backed queue's tests share one broker.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitCollection : ICollectionFixture<RabbitFixture>
{
    public const string Name = "RabbitMQ broker";
}
