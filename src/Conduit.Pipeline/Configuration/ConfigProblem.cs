namespace Conduit.Pipeline.Configuration;

/// <summary>A configuration value the validator refuses: its path (e.g. <c>receiver.port</c>) and what is allowed.</summary>
/// <param name="Path">The setting at fault.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
/// <param name="CitedPath">The setting whose source the message should point at (for rules between two settings, the one that was set).</param>
public sealed record ConfigProblem(string Path, string Message, string? CitedPath = null)
{
    public override string ToString() => $"{Path}: {Message}";
}
