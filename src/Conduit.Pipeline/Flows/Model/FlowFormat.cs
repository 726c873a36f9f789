namespace Conduit.Pipeline.Flows.Model;

/// <summary>The schema a flow file was written in.</summary>
public enum FlowFormat
{
    /// <summary>Conduit's own schema (docs/flows.md).</summary>
    Conduit,

    /// <summary>A DicomFlow flow file (<c>models:</c> with <c>docker_kwargs</c>), translated on load.</summary>
    DicomFlow,
}
