using System.CommandLine;
using Conduit.Pipeline.Configuration;

namespace Conduit.Commands;

/// <summary>`conduit config show`: the effective configuration, each value with the layer it came from.</summary>
internal static class ConfigCommand
{
    /// <summary>The shared <c>--config FILE</c> option (serve and the flow verbs take it too).</summary>
    public static Option<FileInfo?> CreateConfigOption() => new("--config")
    {
        Description = $"Configuration file (default: ./{ConfigurationLoader.DefaultFileName} when present); *.yaml files in the {ConfigurationLoader.DropInFolderName}/ folder beside it follow, then {ConfigurationLoader.EnvironmentPrefix}SECTION__KEY environment variables.",
        HelpName = "FILE",
    };

    public static Command Create()
    {
        var config = CreateConfigOption();
        var show = new Command("show", "Print the effective configuration: every key with its value and where it came from (default, file:line:col, or environment variable).")
        {
            config,
        };
        show.SetAction(parse => Show(parse.GetValue(config)));
        return new Command("config", "Inspect Conduit's configuration (docs/configuration.md lists every key).") { show };
    }

    /// <summary>Loads the configuration, printing every problem as file:line:col: message; null when invalid.</summary>
    public static LoadedConfiguration? LoadOrReport(FileInfo? file)
    {
        var loaded = ConfigurationLoader.Load(file?.FullName);
        foreach (var error in loaded.Errors) Console.Error.WriteLine(error);
        return loaded.IsValid ? loaded : null;
    }

    private static int Show(FileInfo? file)
    {
        var loaded = LoadOrReport(file);
        if (loaded is null) return ExitCodes.InvalidConfiguration;

        Console.WriteLine(loaded.Files.Count == 0
            ? "# files: none (built-in defaults and environment only)"
            : $"# files: {string.Join(", ", loaded.Files)}");
        var values = loaded.EffectiveValues().ToList();
        var pathWidth = values.Max(v => v.Path.Length);
        var valueWidth = Math.Min(48, values.Max(v => v.Value.Length));
        foreach (var v in values)
            Console.WriteLine($"{v.Path.PadRight(pathWidth)}  {v.Value.PadRight(valueWidth)}  # {v.Source}");
        return ExitCodes.Success;
    }
}
