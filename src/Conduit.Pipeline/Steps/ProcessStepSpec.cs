namespace Conduit.Pipeline.Steps;

/// <summary>
/// A step run as a local program. It finds its folders through the environment (<see cref="StepEnvironment"/>);
/// it runs in its output folder unless <see cref="WorkingDirectory"/> says otherwise.
/// </summary>
public sealed record ProcessStepSpec(string Name, string FileName, TimeSpan Timeout) : StepSpec(Name, Timeout)
{
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string? WorkingDirectory { get; init; }
}
