using Conduit.Pipeline.Configuration.Yaml;
using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Flows.Loading;

/// <summary>
/// Checks the steps' <c>needs</c> graph and fills in <see cref="FlowStepDefinition.DependsOn"/>: unique names, every
/// need a known step, no cycles. Without any <c>needs</c> the steps form a chain in the order written.
/// </summary>
internal static class StepGraph
{
    public static (IReadOnlyList<FlowStepDefinition> Steps, IReadOnlyList<FlowStepDefinition> Order) Resolve(
        IReadOnlyList<FlowStepDefinition> steps, IReadOnlyList<SourceLocation> locations, List<YamlError> errors)
    {
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            if (!names.TryAdd(steps[i].Name, i))
                errors.Add(new YamlError(locations[i], $"steps[{i}].name", $"'{steps[i].Name}' is already the name of steps[{names[steps[i].Name]}]; step names must be unique"));
        }

        var dag = steps.Any(s => s.Needs.Count > 0);
        var resolved = new List<FlowStepDefinition>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            IReadOnlyList<string> dependsOn = !dag ? (i == 0 ? [] : [steps[i - 1].Name]) : step.Needs;
            for (var n = 0; n < step.Needs.Count; n++)
            {
                if (!names.ContainsKey(step.Needs[n]))
                    errors.Add(new YamlError(locations[i], $"steps[{i}].needs[{n}]", $"unknown step '{step.Needs[n]}'{Suggestions.DidYouMean(step.Needs[n], names.Keys)}"));
            }
            resolved.Add(step with { DependsOn = dependsOn.Where(names.ContainsKey).Distinct().ToList() });
        }

        // Depth-first search for a cycle, reporting the first one found with its path (a -> b -> a).
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var order = new List<FlowStepDefinition>();
        var byName = resolved.GroupBy(s => s.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var stack = new List<string>();
        var cycleReported = false;
        void Visit(FlowStepDefinition step)
        {
            if (state.TryGetValue(step.Name, out var s))
            {
                if (s == 1 && !cycleReported)
                {
                    var cycle = stack.Skip(stack.IndexOf(step.Name)).Append(step.Name);
                    var at = names[step.Name];
                    errors.Add(new YamlError(locations[at], $"steps[{at}].needs", $"the steps form a cycle: {string.Join(" -> ", cycle)}"));
                    cycleReported = true;
                }
                return;
            }
            state[step.Name] = 1;
            stack.Add(step.Name);
            foreach (var need in step.DependsOn) Visit(byName[need]);
            stack.RemoveAt(stack.Count - 1);
            state[step.Name] = 2;
            order.Add(step);
        }
        foreach (var step in byName.Values) Visit(step);
        return (resolved, order);
    }
}
