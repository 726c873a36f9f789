using Conduit.Pipeline.Configuration.Values;
using Conduit.Pipeline.Configuration.Yaml;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Configuration.Schema;

/// <summary>
/// <c>folders.watch</c>: a list of maps, one per watched input folder. Set in a file only (a list of maps has no
/// sensible one-line form); a later layer replaces the whole list. Each field's error cites its own line.
/// </summary>
internal sealed class FolderListKey(string path, string description, string allowed) : ConfigKey(path, description, allowed)
{
    private static readonly string[] Fields = ["path", "on_success", "move_to", "scan_interval", "settle_time"];
    private static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    internal override void Apply(ConduitOptions options, YamlNode keyNode, YamlNode value, LayerContext context)
    {
        IEnumerable<YamlNode> nodes = value switch
        {
            YamlSequenceNode seq => seq.Children,
            YamlScalarNode s when s.IsNull() => [],
            _ => [value],
        };
        var folders = new List<WatchedFolderOptions>();
        var ok = true;
        var index = 0;
        foreach (var node in nodes)
        {
            var itemPath = $"{Path}[{index++}]";
            if (node is not YamlMappingNode map)
            {
                context.Error(node, itemPath, $"expected a map ({string.Join(", ", Fields)})");
                ok = false;
                continue;
            }
            var folder = new WatchedFolderOptions();
            foreach (var (k, v) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                var fieldPath = $"{itemPath}.{name}";
                if (!Fields.Contains(name))
                {
                    context.Error(k, fieldPath, $"unknown key '{name}'{Suggestions.DidYouMean(name, Fields)}; a watched folder has {string.Join(", ", Fields)}");
                    ok = false;
                    continue;
                }
                if (!TryScalar(v, fieldPath, context, out var scalar)) { ok = false; continue; }
                if (SetField(folder, name, (scalar.Value ?? "").Trim()) is { } problem)
                {
                    context.Error(v, fieldPath, problem);
                    ok = false;
                }
            }
            foreach (var problem in Problems(folder))
            {
                context.Error(map, $"{itemPath}.{problem.Field}", problem.Message);
                ok = false;
            }
            folders.Add(folder);
        }
        if (!ok) return;
        options.Folders.Watch = folders;
        context.Set(Path, keyNode);
    }

    internal override void Apply(ConduitOptions options, string? entry, string text, LayerContext context) =>
        context.Error(null, Path, $"{Path} is a list of maps: set it in a configuration file");

    public override IEnumerable<ConfigProblem> Check(ConduitOptions options)
    {
        var folders = options.Folders.Watch;
        for (var i = 0; i < folders.Count; i++)
            foreach (var problem in Problems(folders[i]))
                yield return new ConfigProblem($"{Path}[{i}].{problem.Field}", problem.Message);
    }

    public override IEnumerable<(string Path, string Value)> Show(ConduitOptions options)
    {
        var folders = options.Folders.Watch;
        if (folders.Count == 0)
        {
            yield return (Path, "[]");
            yield break;
        }
        for (var i = 0; i < folders.Count; i++)
        {
            var f = folders[i];
            yield return ($"{Path}[{i}]", $"{{ path: {f.Path}, on_success: {f.OnSuccess.ToString().ToLowerInvariant()}"
                + (f.MoveTo is null ? "" : $", move_to: {f.MoveTo}")
                + $", scan_interval: {Durations.Format(f.ScanInterval)}, settle_time: {Durations.Format(f.SettleTime)} }}");
        }
    }

    private static string? SetField(WatchedFolderOptions folder, string name, string text)
    {
        switch (name)
        {
            case "path":
                folder.Path = text;
                return null;
            case "move_to":
                folder.MoveTo = text;
                return null;
            case "on_success":
                if (!Enum.TryParse<FolderSuccessAction>(text, ignoreCase: true, out var action) || !Enum.IsDefined(action) || int.TryParse(text, out _))
                    return $"{Quote(text)} is not delete, keep or move";
                folder.OnSuccess = action;
                return null;
            default:
                if (!Durations.TryParse(text, out var duration) || duration < TimeSpan.Zero || duration > MaxInterval)
                    return $"{Quote(text)} is not a duration up to 1h ({Durations.Examples})";
                if (name == "scan_interval") folder.ScanInterval = duration;
                else folder.SettleTime = duration;
                return null;
        }
    }

    /// <summary>Relative paths resolve against the working directory, as they will when <c>conduit serve</c> runs.</summary>
    private static bool IsInside(string candidate, string folder)
    {
        var root = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(folder));
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(candidate));
        return full == root || full.StartsWith(root + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static IEnumerable<(string Field, string Message)> Problems(WatchedFolderOptions folder)
    {
        if (!Parsers.PathText(folder.Path, out _)) yield return ("path", "a watched folder needs a path");
        if (folder.OnSuccess == FolderSuccessAction.Move && (folder.MoveTo is null || !Parsers.PathText(folder.MoveTo, out _)))
            yield return ("move_to", "on_success: move needs move_to (a folder path)");
        else if (folder.OnSuccess == FolderSuccessAction.Move && Parsers.PathText(folder.Path, out _) && IsInside(folder.MoveTo!, folder.Path))
            yield return ("move_to", "must not be inside the watched folder (moved folders would be taken again)");
        if (folder.ScanInterval < TimeSpan.FromMilliseconds(100) || folder.ScanInterval > MaxInterval)
            yield return ("scan_interval", $"{Quote(Durations.Format(folder.ScanInterval))} is not a duration from 100ms to 1h");
        if (folder.SettleTime < TimeSpan.Zero || folder.SettleTime > MaxInterval)
            yield return ("settle_time", $"{Quote(Durations.Format(folder.SettleTime))} is not a duration up to 1h");
    }
}
