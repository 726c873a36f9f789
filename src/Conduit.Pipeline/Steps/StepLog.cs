using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Steps;

/// <summary>Step runner log messages; event ids 4200–4299.</summary>
internal static partial class StepLog
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "Step {Step}: started {FileName} (pid {Pid})")]
    public static partial void ProcessStarted(ILogger logger, string step, string fileName, int pid);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Step {Step}: could not start {FileName}: {Error}")]
    public static partial void ProcessNotStarted(ILogger logger, string step, string fileName, string error);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Step {Step}: timed out after {Timeout} and was killed")]
    public static partial void TimedOut(ILogger logger, string step, TimeSpan timeout);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Step {Step}: killed process {Pid}, left running by an earlier attempt")]
    public static partial void LeftoverKilled(ILogger logger, string step, int pid);

    [LoggerMessage(EventId = 4210, Level = LogLevel.Information, Message = "Step {Step}: pulling image {Image}")]
    public static partial void Pulling(ILogger logger, string step, string image);

    [LoggerMessage(EventId = 4215, Level = LogLevel.Warning, Message = "Step {Step}: pulling {Image} failed ({Error}); running the local image (pull policy 'try')")]
    public static partial void PullFailedUsingLocal(ILogger logger, string step, string image, string error);

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "Step {Step}: started container {ContainerId} from {Image}")]
    public static partial void ContainerStarted(ILogger logger, string step, string containerId, string image);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "Step {Step}: could not remove container {ContainerId}: {Error}")]
    public static partial void RemoveFailed(ILogger logger, string step, string containerId, string error);

    [LoggerMessage(EventId = 4214, Level = LogLevel.Warning, Message = "Removed container {ContainerId}, left behind by an earlier run")]
    public static partial void OrphanRemoved(ILogger logger, string containerId);

    [LoggerMessage(EventId = 4213, Level = LogLevel.Warning, Message = "Step {Step}: container engine error: {Error}")]
    public static partial void EngineError(ILogger logger, string step, string error);
}
