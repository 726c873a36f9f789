using System.Text.Json.Nodes;
using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Staging;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>
/// One flow, as loaded from its file (Conduit's schema or DicomFlow's, translated): which instances it takes, how they
/// are grouped, the steps that run on them and where the results go. Immutable; a changed file yields a new instance.
/// </summary>
public sealed record FlowDefinition
{
    public const int MinPriority = 0;
    public const int MaxPriority = 5;

    /// <summary>Unique among the loaded flows; defaults to the file name without extension.</summary>
    public required string Name { get; init; }

    public string Version { get; init; } = "";

    public string Description { get; init; } = "";

    /// <summary>0–5, 5 highest: queued jobs of higher priority start first.</summary>
    public int Priority { get; init; }

    /// <summary>Whether a job gathers a series or a whole study.</summary>
    public BatchScope Scope { get; init; } = BatchScope.Series;

    /// <summary>Study scope: series that must be present (each map matched by some series) before the study counts as complete.</summary>
    public IReadOnlyList<TriggerMap> RequiredSeries { get; init; } = [];

    public TriggerSet Triggers { get; init; } = TriggerSet.MatchAll;

    /// <summary>How instances are laid out in the first step's input folder.</summary>
    public InputLayout Input { get; init; } = InputLayout.Flat;

    /// <summary>Free parameters given to every step (as JSON), and read by <c>when:</c> conditions.</summary>
    public JsonObject Params { get; init; } = [];

    /// <summary>This flow's quiet time, overriding <c>grouping.quiet_time</c>; null keeps the configured one.</summary>
    public TimeSpan? QuietTime { get; init; }

    public IReadOnlyList<FlowStepDefinition> Steps { get; init; } = [];

    /// <summary>The step whose output goes to the destinations (by default the last one written); null when there are no steps: the input is sent.</summary>
    public string? ResultStep { get; init; }

    public IReadOnlyList<DestinationDefinition> Destinations { get; init; } = [];

    public IReadOnlyList<WebhookDefinition> Webhooks { get; init; } = [];

    public FlowFormat Format { get; init; } = FlowFormat.Conduit;

    /// <summary>The file the flow was read from (full path).</summary>
    public string SourcePath { get; init; } = "";

    /// <summary>What the loader accepted but Conduit ignores (e.g. docker_kwargs it does not support), with locations.</summary>
    public IReadOnlyList<YamlError> Warnings { get; init; } = [];

    /// <summary>Steps in an order where every step comes after those it depends on (the written order for sequential flows).</summary>
    public IReadOnlyList<FlowStepDefinition> StepsInOrder { get; init; } = [];

    /// <summary>The study's required series as the grouping layer takes them (matched on any tag of an instance's header).</summary>
    public IReadOnlyList<SeriesRequirement> SeriesRequirements() =>
        RequiredSeries.Select(m => new SeriesRequirement(m.Describe(), values => m.Evaluate(values).Matched)).ToList();
}
