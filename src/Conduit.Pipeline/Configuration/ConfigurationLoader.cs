using System.Collections;
using Conduit.Pipeline.Configuration.Schema;
using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration;

/// <summary>
/// Builds the effective configuration from its layers, later wins: built-in defaults → <c>conduit.yaml</c> (the
/// <c>--config</c> file, else <c>./conduit.yaml</c> when present) → every <c>*.yaml</c> in the <c>conf.d/</c> folder
/// beside it, in alphabetical order → environment variables <c>CONDUIT__SECTION__KEY</c>. Every problem in every
/// layer is collected with its file, line and column, so one run reports them all.
/// </summary>
public static class ConfigurationLoader
{
    public const string DefaultFileName = "conduit.yaml";
    public const string DropInFolderName = "conf.d";
    public const string EnvironmentPrefix = "CONDUIT__";

    /// <param name="configFile">The <c>--config</c> file; null looks for <c>conduit.yaml</c> in <paramref name="workingDirectory"/>.</param>
    /// <param name="environment">Environment variables (name → value); null reads the process environment.</param>
    /// <param name="workingDirectory">Where relative paths start; null is the current directory.</param>
    public static LoadedConfiguration Load(string? configFile = null, IDictionary? environment = null, string? workingDirectory = null)
    {
        var cwd = workingDirectory ?? Environment.CurrentDirectory;
        var options = new ConduitOptions();
        var sources = new Dictionary<string, ConfigSource>(StringComparer.Ordinal);
        var errors = new List<YamlError>();
        var files = new List<string>();

        string baseDirectory;
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile, cwd);
            baseDirectory = Path.GetDirectoryName(full)!;
            if (File.Exists(full)) files.Add(full);
            else errors.Add(new YamlError(new SourceLocation(SourceLocation.DisplayPath(full), 0, 0), "", "configuration file not found"));
        }
        else
        {
            baseDirectory = cwd;
            var candidate = Path.Combine(cwd, DefaultFileName);
            if (File.Exists(candidate)) files.Add(candidate);
        }

        var dropIns = Path.Combine(baseDirectory, DropInFolderName);
        if (Directory.Exists(dropIns))
        {
            files.AddRange(Directory.EnumerateFiles(dropIns)
                .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal));
        }

        foreach (var file in files) ApplyFile(options, file, sources, errors);
        ApplyEnvironment(options, environment ?? Environment.GetEnvironmentVariables(), sources, errors);

        foreach (var problem in ConduitOptionsValidator.Validate(options))
        {
            // Cite the line that set one of the values involved (for a rule between two keys, whichever was set).
            var cited = new[] { problem.CitedPath, problem.Path }.OfType<string>()
                .Select(p => CitedSource(p, sources)).FirstOrDefault(s => s.Kind != ConfigSourceKind.Default) ?? ConfigSource.Default;
            errors.Add(new YamlError(cited.ErrorLocation, problem.Path, problem.Message));
        }

        return new LoadedConfiguration(options, sources, files.Select(SourceLocation.DisplayPath).ToList(), errors);
    }

    private static void ApplyFile(ConduitOptions options, string file, Dictionary<string, ConfigSource> sources, List<YamlError> errors)
    {
        var display = SourceLocation.DisplayPath(file);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add(new YamlError(new SourceLocation(display, 0, 0), "", $"cannot read: {ex.Message}"));
            return;
        }
        var root = YamlDocumentReader.Parse(text, display, out var syntaxError);
        if (syntaxError is not null)
        {
            errors.Add(syntaxError);
            return;
        }
        if (root is null || root is YamlScalarNode { } s && s.IsNull()) return;

        var context = new LayerContext(display, null, sources, errors);
        if (root is not YamlMappingNode sections)
        {
            context.Error(root, "", $"expected a map of sections ({string.Join(", ", ConfigSchema.Sections.Select(x => x + ":"))})");
            return;
        }
        foreach (var (sectionKey, sectionValue) in sections.Children)
        {
            var section = (sectionKey as YamlScalarNode)?.Value ?? "";
            if (!ConfigSchema.Sections.Contains(section))
            {
                context.Error(sectionKey, "", $"unknown key '{section}'{Suggestions.DidYouMean(section, ConfigSchema.Sections)}");
                continue;
            }
            if (sectionValue is YamlScalarNode v && v.IsNull()) continue;
            if (sectionValue is not YamlMappingNode keys)
            {
                context.Error(sectionKey, section, $"expected a map of {section} settings ({string.Join(", ", ConfigSchema.InSection(section).Select(k => k.Name))})");
                continue;
            }
            foreach (var (keyNode, valueNode) in keys.Children)
            {
                var name = (keyNode as YamlScalarNode)?.Value ?? "";
                var key = ConfigSchema.Find($"{section}.{name}");
                if (key is null)
                {
                    var known = ConfigSchema.InSection(section).Select(k => k.Name);
                    context.Error(keyNode, "", $"unknown key '{section}.{name}'{Suggestions.DidYouMean(name, known)}; {section} has {string.Join(", ", known)}");
                    continue;
                }
                key.Apply(options, keyNode, valueNode, context);
            }
        }
    }

    private static void ApplyEnvironment(ConduitOptions options, IDictionary environment, Dictionary<string, ConfigSource> sources, List<YamlError> errors)
    {
        var variables = environment.Cast<DictionaryEntry>()
            .Select(e => (Name: e.Key as string ?? "", Value: e.Value as string ?? ""))
            .Where(e => e.Name.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var (name, value) in variables)
        {
            var context = new LayerContext("", name, sources, errors);
            var parts = name[EnvironmentPrefix.Length..].Split("__");
            if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                context.Error(null, "", $"name a key as {EnvironmentPrefix}SECTION__KEY, e.g. {EnvironmentPrefix}RECEIVER__PORT");
                continue;
            }
            var section = parts[0].ToLowerInvariant();
            var keyName = parts[1].ToLowerInvariant();
            if (!ConfigSchema.Sections.Contains(section))
            {
                context.Error(null, "", $"unknown key '{section}'{Suggestions.DidYouMean(section, ConfigSchema.Sections)}");
                continue;
            }
            var key = ConfigSchema.Find($"{section}.{keyName}");
            if (key is null)
            {
                context.Error(null, "", $"unknown key '{section}.{keyName}'{Suggestions.DidYouMean(keyName, ConfigSchema.InSection(section).Select(k => k.Name))}");
                continue;
            }
            var entry = parts.Length > 2 ? string.Join("__", parts[2..]) : null;
            key.Apply(options, entry, value, context);
        }
    }

    /// <summary>The source to cite for a path: its own, else that of the key it belongs to (receiver.allowed_callers[2] → receiver.allowed_callers).</summary>
    private static ConfigSource CitedSource(string path, Dictionary<string, ConfigSource> sources)
    {
        for (var p = path; p.Length > 0;)
        {
            if (sources.TryGetValue(p, out var source)) return source;
            var cut = Math.Max(p.LastIndexOf('.'), p.LastIndexOf('['));
            if (cut <= 0) break;
            p = p[..cut];
        }
        return ConfigSource.Default;
    }
}
