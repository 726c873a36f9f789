using System.Text.Json;
using System.Text.Json.Nodes;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>One entry of a step's <c>when:</c> map: a parameter and the patterns its value must satisfy.</summary>
public sealed record ParamCondition(string Name, IReadOnlyList<TagPattern> Patterns);

/// <summary>
/// A step's <c>when:</c> condition over the job's parameters: the flow's <c>params</c>, overlaid by what earlier steps
/// wrote to <c>conduit-params.json</c>. Every entry must hold (patterns and negation as in triggers); a parameter that
/// is absent or null fails a positive pattern and satisfies a negated one.
/// </summary>
public sealed record StepCondition(IReadOnlyList<ParamCondition> Conditions)
{
    public static StepCondition Always { get; } = new([]);

    public bool IsAlways => Conditions.Count == 0;

    /// <summary>Whether the step runs, and why (each condition with the value seen).</summary>
    public (bool Run, string Reason) Evaluate(JsonObject parameters)
    {
        foreach (var condition in Conditions)
        {
            var text = parameters.TryGetPropertyValue(condition.Name, out var node) ? AsText(node) : null;
            foreach (var pattern in condition.Patterns)
            {
                var found = text is not null && pattern.Finds(text, [text], out _);
                if (found == pattern.Negated)
                    return (false, $"{condition.Name} = {(text is null ? "absent" : $"'{text}'")} {(pattern.Negated ? "matches excluded" : "does not match")} {pattern.Shown}");
            }
        }
        return (true, Conditions.Count == 0 ? "no condition" : "every condition holds");
    }

    /// <summary>A parameter as text: strings as they are, true/false, numbers as JSON writes them, arrays and objects as JSON.</summary>
    public static string? AsText(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Null => null,
        _ => node.ToJsonString(),
    };
}
