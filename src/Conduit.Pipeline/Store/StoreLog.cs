using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Store;

/// <summary>Store log messages; event ids 4000–4099.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Opened the store database {Path} at schema version {Version}")]
    public static partial void DatabaseOpened(ILogger logger, string path, int version);
}
