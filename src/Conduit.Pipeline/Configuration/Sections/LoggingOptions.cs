using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Configuration;

/// <summary><c>logging:</c> what Conduit writes to its log.</summary>
public sealed class LoggingOptions
{
    public const LogLevel DefaultLevel = LogLevel.Information;

    /// <summary>The least severe level written: trace, debug, information, warning, error, critical or none.</summary>
    public LogLevel Level { get; set; } = DefaultLevel;
}
