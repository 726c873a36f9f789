using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Steps;
using Conduit.Pipeline.Steps.BuiltIn;

namespace Conduit.Pipeline.Orchestration;

/// <summary>Turns a flow's step definition into what a runner runs; the flow's defaults fill what the step leaves out.</summary>
public static class StepSpecs
{
    public static StepSpec From(FlowStepDefinition step, TimeSpan defaultTimeout, string staticDirectory) => step switch
    {
        ContainerStepDefinition c => new ContainerStepSpec(c.Name, c.Image, c.Timeout ?? defaultTimeout)
        {
            Command = [.. c.Entrypoint ?? [], .. c.Command ?? []],
            Environment = c.Environment,
            InputDirectory = c.InputDir,
            OutputDirectory = c.OutputDir,
            PullPolicy = c.Pull,
            StaticMounts = c.Mounts.Select(m => new Steps.StaticMount(m.ResolveSource(staticDirectory), m.Target)).ToList(),
            Gpus = c.Gpu?.Count,
            Network = c.Network,
            MemoryBytes = c.MemoryBytes,
            Cpus = c.Cpus,
            User = c.User,
        },
        ProcessStepDefinition p => new ProcessStepSpec(p.Name, p.Program, p.Timeout ?? defaultTimeout)
        {
            Arguments = p.Arguments,
            Environment = p.Environment,
        },
        FilterStepDefinition f => new FilterStepSpec(f.Name, f.Keep, defaultTimeout),
        ModifyStepDefinition m => new ModifyStepSpec(m.Name, m.Set.Select(a => (a.Tag, a.VR, a.Value)).ToList(), m.Remove, defaultTimeout),
        _ => throw new NotSupportedException($"step '{step.Name}': kind {step.Kind} has no runner"),
    };
}
