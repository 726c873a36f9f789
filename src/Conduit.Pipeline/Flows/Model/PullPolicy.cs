namespace Conduit.Pipeline.Flows.Model;

/// <summary>When a container step's image is pulled from its registry.</summary>
public enum PullPolicy
{
    /// <summary>Only when the image is not present locally (the default).</summary>
    Missing,

    /// <summary>Before every run; a failed pull fails the step.</summary>
    Always,

    /// <summary>Never: the image must be present locally.</summary>
    Never,

    /// <summary>Before every run, but a failed pull falls back to the local image (DicomFlow's <c>pull_before_exec</c>).</summary>
    Try,
}
