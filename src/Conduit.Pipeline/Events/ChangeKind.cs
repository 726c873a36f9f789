namespace Conduit.Pipeline.Events;

/// <summary>What a <see cref="ChangeEvent"/> is about; the server-sent event's name is its lower-case word.</summary>
public enum ChangeKind
{
    /// <summary>An instance was recorded (any source).</summary>
    Instance,
    /// <summary>A batch closed (its series or study is complete for a flow).</summary>
    Batch,
    /// <summary>A job was created or changed status.</summary>
    Job,
    /// <summary>A job's step started or ended.</summary>
    Step,
    /// <summary>A delivery attempt to one of a job's destinations started or ended.</summary>
    Destination,
    /// <summary>A DICOM association was accepted or ended.</summary>
    Association,
    /// <summary>The flow files were reloaded (a flow added, changed, removed, or a file found invalid).</summary>
    Flows,
}
