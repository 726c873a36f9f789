using Conduit.Dicom;

namespace Conduit.Pipeline.Flows.Model;

/// <summary>A tag a modify step sets: the tag, its dictionary VR, and the value (backslash-separated for several values).</summary>
public sealed record TagAssignment(DicomTag Tag, DicomVR VR, string Value);

/// <summary>A built-in step that sets and removes tags in every instance.</summary>
public sealed record ModifyStepDefinition : FlowStepDefinition
{
    public override StepKind Kind => StepKind.Modify;

    public IReadOnlyList<TagAssignment> Set { get; init; } = [];

    public IReadOnlyList<DicomTag> Remove { get; init; } = [];
}
