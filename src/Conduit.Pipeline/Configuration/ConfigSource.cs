using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Configuration;

/// <summary>Where a configuration layer's values come from.</summary>
public enum ConfigSourceKind
{
    Default,
    File,
    Environment,
}

/// <summary>Where one effective configuration value came from: the built-in default, a file and line, or an environment variable.</summary>
public sealed record ConfigSource(ConfigSourceKind Kind, SourceLocation? Location = null, string? Variable = null, string? Note = null)
{
    public static ConfigSource Default { get; } = new(ConfigSourceKind.Default);

    public static ConfigSource FromFile(SourceLocation location) => new(ConfigSourceKind.File, location);

    public static ConfigSource FromEnvironment(string variable) => new(ConfigSourceKind.Environment, Variable: variable);

    /// <summary>The location to cite in an error about this value: the file position, or the variable's name.</summary>
    public SourceLocation ErrorLocation => Kind switch
    {
        ConfigSourceKind.File => Location!.Value,
        ConfigSourceKind.Environment => new SourceLocation($"environment variable {Variable}", 0, 0),
        _ => new SourceLocation("built-in defaults", 0, 0),
    };

    public override string ToString() => Kind switch
    {
        ConfigSourceKind.File => Location!.Value.ToString(),
        ConfigSourceKind.Environment => $"env {Variable}",
        _ => Note is null ? "default" : $"default ({Note})",
    };
}
