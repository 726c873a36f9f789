using Conduit.Pipeline.Flows.Model;

namespace Conduit.Pipeline.Flows.Catalog;

/// <summary>The catalog at one moment: the active flows (by file path order) and the files with errors. Immutable.</summary>
public sealed record FlowCatalogSnapshot(IReadOnlyList<FlowDefinition> Flows, IReadOnlyList<FlowFileStatus> Errors, long Version)
{
    public static FlowCatalogSnapshot Empty { get; } = new([], [], 0);

    public FlowDefinition? Find(string name) => Flows.FirstOrDefault(f => f.Name == name);
}
