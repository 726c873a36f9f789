using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// The parameters contract between Conduit and a step (docs/pipeline-internals.md, "The step contract").
/// Conduit writes <c>&lt;input&gt;/conduit-params.json</c>:
/// <code>{ "job": "…", "step": "…", "params": { … }, "tags": { "Modality": "CT", … } }</code>
/// and a step may write <c>&lt;output&gt;/conduit-params.json</c>. From that file, the <c>params</c> object is read when
/// present, otherwise the whole top-level object; its members replace or add to the params later steps get (a
/// step that copies its input file unchanged therefore changes nothing).
/// </summary>
public static class StepParamsFile
{
    public const string FileName = "conduit-params.json";

    /// <summary>The largest output parameters file read (a step writing gigabytes there is a broken step).</summary>
    public const int MaxOutputBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes the input parameters file and returns its host path.</summary>
    public static string WriteInput(StepSpec spec, StepContext context)
    {
        var tags = new JsonObject();
        foreach (var (key, value) in context.Tags)
        {
            tags[key] = value;
        }
        var document = new JsonObject
        {
            ["job"] = context.JobId,
            ["step"] = spec.Name,
            ["params"] = context.Params.DeepClone(),
            ["tags"] = tags,
        };
        var path = Path.Combine(context.InputDirectory, FileName);
        File.WriteAllText(path, document.ToJsonString(Indented));
        return path;
    }

    /// <summary>
    /// The params for later steps: <paramref name="inputParams"/> merged with the step's output file when it wrote
    /// one. Returns an error text instead when that file is not a JSON object (the step then fails).
    /// </summary>
    public static (JsonObject? Params, string? Error) ReadOutput(string outputDirectory, JsonObject inputParams)
    {
        var merged = (JsonObject)inputParams.DeepClone();
        var path = Path.Combine(outputDirectory, FileName);
        if (!File.Exists(path))
        {
            return (merged, null);
        }
        if (new FileInfo(path).Length > MaxOutputBytes)
        {
            return (null, $"{FileName} in the step's output is larger than {MaxOutputBytes} bytes.");
        }
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            return (null, $"{FileName} in the step's output is not valid JSON: {e.Message}");
        }
        if (root is not JsonObject written)
        {
            return (null, $"{FileName} in the step's output must hold a JSON object.");
        }
        var added = written["params"] as JsonObject ?? written;
        foreach (var (key, value) in added)
        {
            merged[key] = value?.DeepClone();
        }
        return (merged, null);
    }
}
