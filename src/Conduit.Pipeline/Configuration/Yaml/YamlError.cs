namespace Conduit.Pipeline.Configuration.Yaml;

/// <summary>One problem found in a configuration or flow file: where, which setting, and what is wrong or allowed.</summary>
/// <param name="Location">The file, line and column; line 0 when the problem has no line (a missing file, an environment variable).</param>
/// <param name="Path">The setting's path, e.g. <c>receiver.port</c> or <c>steps[1].timeout</c>; empty when the problem is the file itself.</param>
/// <param name="Message">What is wrong and what is allowed.</param>
public sealed record YamlError(SourceLocation Location, string Path, string Message)
{
    /// <summary>"file:line:col: path: message".</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{Location}: {Message}" : $"{Location}: {Path}: {Message}";
}
