namespace Conduit.Pipeline.Steps;

/// <summary>When a container step's image is pulled from its registry.</summary>
public enum PullPolicy
{
    /// <summary>Pull only when the image is not present locally (the default).</summary>
    IfNotPresent,
    /// <summary>Never pull: the image must be present (air-gapped sites).</summary>
    Never,
    /// <summary>Pull before every run, so a moving tag is followed.</summary>
    Always,
}
