using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Flows.Catalog;

/// <summary>Log messages of the flow catalog: event ids 4100-4119 (Pipeline flows range 4100-4199).</summary>
internal static partial class FlowCatalogLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Flows loaded from {Directory}: {FlowCount} active, {ErrorCount} file(s) with errors")]
    public static partial void Loaded(ILogger logger, string directory, int flowCount, int errorCount);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Flow '{Flow}' (re)loaded from {Path}")]
    public static partial void FlowLoaded(ILogger logger, string flow, string path);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Flow file {Path} is invalid{Kept}: {Errors}")]
    public static partial void FlowInvalid(ILogger logger, string path, string kept, string errors);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Flow file {Path} removed")]
    public static partial void FlowRemoved(ILogger logger, string path);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Flows directory {Directory} does not exist; no flow is active until it is created")]
    public static partial void DirectoryMissing(ILogger logger, string directory);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Error, Message = "Watching the flows directory {Directory} failed; reloading everything")]
    public static partial void WatcherFailed(ILogger logger, string directory, Exception exception);
}
