namespace Conduit.Pipeline.Store;

/// <summary>A job, step or destination is missing, or is not in a state that allows the requested change.</summary>
public sealed class JobStateException(string message) : InvalidOperationException(message);
