using System.Text.Json.Nodes;
using Conduit.Dicom;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Staging;
using YamlDotNet.RepresentationModel;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>Reads a flow written in Conduit's schema (docs/flows.md).</summary>
internal static class ConduitFlowReader
{
    public static readonly string[] Keys =
        ["name", "version", "description", "priority", "scope", "required_series", "triggers", "input", "params", "completion", "steps", "result", "destinations", "webhooks"];

    public static FlowDefinition? Read(YamlMappingNode root, string defaultName, FlowReadContext context)
    {
        var r = MapReader.Open(root, "", context, Keys, "a flow")!;
        var name = r.String("name") ?? defaultName;
        if (!StepReader.NamePattern().IsMatch(name)) r.Error("name", $"'{name}' is not a flow name (letters, digits, '.', '_', '-'; at most 64)");

        var scopeText = r.String("scope");
        var scope = scopeText switch
        {
            null or "series" => BatchScope.Series,
            "study" => BatchScope.Study,
            _ => (BatchScope?)null,
        };
        if (scope is null) r.Error("scope", $"'{scopeText}' is not a scope (series or study)");
        var required = TriggerReader.ReadSet(r.Value("required_series"), r.PathOf("required_series"), context, TriggerMode.AnyMap).Maps;
        if (required.Count > 0 && scope != BatchScope.Study) r.Error("required_series", "only a flow with scope: study can require series");

        var steps = ReadSteps(r, context, out var locations);
        var (resolved, order) = StepGraph.Resolve(steps, locations, context.Errors);
        var result = r.String("result");
        if (result is not null && steps.All(s => s.Name != result))
            r.Error("result", $"unknown step '{result}'{Suggestions.DidYouMean(result, steps.Select(s => s.Name))}");

        var paramsNode = r.Value("params");
        JsonObject parameters = [];
        if (paramsNode is not null)
        {
            if (YamlJson.ToJson(paramsNode) is JsonObject o) parameters = o;
            else r.Error("params", "expected a map of parameter names to values");
        }

        return new FlowDefinition
        {
            Name = name,
            Version = r.String("version") ?? "",
            Description = r.String("description") ?? "",
            Priority = r.Int("priority", FlowDefinition.MinPriority, FlowDefinition.MaxPriority, "a priority from 0 to 5 (5 highest)") ?? 0,
            Scope = scope ?? BatchScope.Series,
            RequiredSeries = required,
            Triggers = TriggerReader.ReadSet(r.Value("triggers"), r.PathOf("triggers"), context, TriggerMode.AnyMap),
            Input = ReadInput(r, context),
            Params = parameters,
            QuietTime = ReadCompletion(r, context),
            Steps = resolved,
            StepsInOrder = order,
            ResultStep = result ?? (resolved.Count > 0 ? resolved[^1].Name : null),
            Destinations = DestinationReader.ReadList(r.Value("destinations"), r.PathOf("destinations"), context),
            Webhooks = DestinationReader.ReadWebhooks(r.Value("webhooks"), r.PathOf("webhooks"), context),
            Format = FlowFormat.Conduit,
        };
    }

    private static List<FlowStepDefinition> ReadSteps(MapReader r, FlowReadContext context, out List<SourceLocation> locations)
    {
        var steps = new List<FlowStepDefinition>();
        locations = [];
        var node = r.Value("steps");
        if (node is null) return steps;
        if (node is not YamlSequenceNode list)
        {
            r.Error("steps", "expected a list of steps");
            return steps;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (StepReader.Read(list.Children[i], $"steps[{i}]", context) is { } step)
            {
                steps.Add(step);
                locations.Add(list.Children[i].LocationOf(context.DisplayPath));
            }
        }
        return steps;
    }

    private static InputLayout ReadInput(MapReader r, FlowReadContext context)
    {
        var node = r.Value("input");
        if (node is null || node is YamlScalarNode { Value: "flat" }) return InputLayout.Flat;
        var input = MapReader.Open(node, r.PathOf("input"), context, ["subfolders"], "an input layout ('flat', or subfolders: [tags])");
        if (input is null) return InputLayout.Flat;
        var tags = new List<DicomTag>();
        foreach (var (item, text) in input.StringList("subfolders"))
        {
            if (DicomTag.TryParse(text, out var tag)) tags.Add(tag);
            else context.Error(item, input.PathOf("subfolders"), TriggerReader.UnknownTag(text));
        }
        return new InputLayout(tags);
    }

    private static TimeSpan? ReadCompletion(MapReader r, FlowReadContext context)
    {
        var node = r.Value("completion");
        if (node is null) return null;
        var completion = MapReader.Open(node, r.PathOf("completion"), context, ["quiet_time"], "completion settings");
        return completion?.Duration("quiet_time");
    }
}
