using Conduit.Pipeline.Configuration.Schema;
using Conduit.Pipeline.Configuration.Yaml;

namespace Conduit.Pipeline.Configuration;

/// <summary>One effective value as <c>config show</c> prints it.</summary>
public sealed record EffectiveValue(string Path, string Value, ConfigSource Source);

/// <summary>The effective configuration after every layer, where each value came from, and what was wrong.</summary>
public sealed class LoadedConfiguration(
    ConduitOptions options,
    IReadOnlyDictionary<string, ConfigSource> sources,
    IReadOnlyList<string> files,
    IReadOnlyList<YamlError> errors)
{
    public ConduitOptions Options { get; } = options;

    /// <summary>The files read, in layer order (display paths).</summary>
    public IReadOnlyList<string> Files { get; } = files;

    /// <summary>Every problem found; start-up must stop when there is any.</summary>
    public IReadOnlyList<YamlError> Errors { get; } = errors;

    public bool IsValid => Errors.Count == 0;

    /// <summary>Where the value at <paramref name="path"/> (a key, or a map entry like grouping.modality_quiet_time.MR) came from.</summary>
    public ConfigSource SourceOf(string path) => sources.TryGetValue(path, out var s) ? s : ConfigSource.Default;

    /// <summary>Every effective value in schema order, secrets masked, the default database spelt out.</summary>
    public IEnumerable<EffectiveValue> EffectiveValues()
    {
        foreach (var key in ConfigSchema.Keys)
        {
            foreach (var (path, value) in key.Show(Options))
            {
                var source = SourceOf(path);
                var shown = value;
                if (key.Path == "database.connection_string" && Options.Database.ConnectionString is null)
                {
                    shown = Options.Database.Provider == DatabaseProvider.Sqlite ? Options.Database.EffectiveConnectionString(Options.Storage.DataDirectory) : value;
                    source = source with { Note = "SQLite file in storage.data_directory" };
                }
                if (key.IsSecret) shown = Parsers.MaskSecrets(shown);
                yield return new EffectiveValue(path, shown, source);
            }
        }
    }

    /// <summary>The options, or a <see cref="ConfigurationException"/> listing every problem.</summary>
    public ConduitOptions OptionsOrThrow() => IsValid ? Options : throw new ConfigurationException(Errors);
}
