using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Store;

/// <summary>Store log messages; event ids 4000–4099.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Opened the store database {Path} at schema version {Version}")]
    public static partial void DatabaseOpened(ILogger logger, string path, int version);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "A write lost a race to another node's (SQLSTATE {SqlState}); running it again")]
    public static partial void WriteRetried(ILogger logger, string sqlState);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The queue's notification connection to PostgreSQL dropped ({Reason}); reconnecting")]
    public static partial void ListenerLost(ILogger logger, string reason);
}
