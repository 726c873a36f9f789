using Conduit.Dicom;
using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Steps.BuiltIn;

/// <summary>Keep only the instances whose tags match <see cref="Keep"/> (the same trigger language as a flow's).</summary>
public sealed record FilterStepSpec(string Name, TriggerSet Keep, TimeSpan Timeout) : StepSpec(Name, Timeout);

/// <summary>Set or remove tags in every instance.</summary>
public sealed record ModifyStepSpec(string Name, IReadOnlyList<(DicomTag Tag, DicomVR VR, string Value)> Set, IReadOnlyList<DicomTag> Remove,
    TimeSpan Timeout) : StepSpec(Name, Timeout);
