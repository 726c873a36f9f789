using Microsoft.Extensions.Logging;

namespace Conduit.Logging;

/// <summary>
/// The CLI's logger: one line per message on standard error (standard output is kept for results that scripts
/// parse). Lines are written whole under a lock so concurrent associations never interleave within a line.
/// </summary>
internal sealed class StderrLoggerProvider(LogLevel minimum) : ILoggerProvider, ILoggerFactory
{
    private static readonly Lock Gate = new();
    private static readonly TextWriter Error = Console.Error;

    public ILogger CreateLogger(string categoryName) => new StderrLogger(minimum);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose() { }

    private sealed class StderrLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var level = logLevel switch
            {
                LogLevel.Trace => "trace",
                LogLevel.Debug => "debug",
                LogLevel.Information => "info",
                LogLevel.Warning => "warn",
                LogLevel.Error => "error",
                _ => "crit",
            };
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {level}: {formatter(state, exception)}";
            if (exception is not null) line += $" ({exception.GetType().Name}: {exception.Message})";
            lock (Gate) Error.WriteLine(line);
        }
    }
}
