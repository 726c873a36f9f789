using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Model;

namespace Conduit.Api;

/// <summary><c>/api/v1/flows</c>: the flows in force, and the flow files that failed to load (with file:line errors).</summary>
internal static class FlowsEndpoints
{
    public static RouteGroupBuilder MapFlows(this RouteGroupBuilder api)
    {
        api.MapGet("/flows", (FlowCatalog catalog) =>
        {
            var snapshot = catalog.Current;
            return TypedResults.Ok(new
            {
                version = snapshot.Version,
                flows = snapshot.Flows.Select(f => new
                {
                    name = f.Name,
                    version = f.Version,
                    description = f.Description,
                    priority = f.Priority,
                    scope = f.Scope.ToString().ToLowerInvariant(),
                    format = f.Format == FlowFormat.DicomFlow ? "dicomflow" : "conduit",
                    file = f.SourcePath,
                    steps = f.StepsInOrder.Select(s => new { name = s.Name, type = s.Kind.ToString().ToLowerInvariant(), dependsOn = s.DependsOn }),
                    destinations = f.Destinations.Select(d => new { name = d.Name, type = d.Kind.ToString().ToLowerInvariant() }),
                }),
                errors = snapshot.Errors.Select(e => new
                {
                    file = e.Path,
                    lastGoodVersionActive = e.LastGoodActive,
                    messages = e.Errors.Select(m => m.ToString()),
                }),
            });
        });
        return api;
    }
}
