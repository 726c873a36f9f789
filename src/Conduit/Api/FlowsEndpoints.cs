using Conduit.Pipeline.Flows.Catalog;
using Conduit.Pipeline.Flows.Model;
using Conduit.Pipeline.Store;

namespace Conduit.Api;

/// <summary>
/// <c>/api/v1/flows</c>: the flows in force with their YAML and how many jobs each made (by status), and the flow files
/// that failed to load (with file:line errors).
/// </summary>
internal static class FlowsEndpoints
{
    public static RouteGroupBuilder MapFlows(this RouteGroupBuilder api)
    {
        api.MapGet("/flows", async (FlowCatalog catalog, [FromServices] SqlActivityStats? stats, CancellationToken cancellationToken) =>
        {
            var snapshot = catalog.Current;
            var jobs = stats is null ? null : await stats.JobsByFlowAsync(cancellationToken);
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
                    jobs = jobs?.GetValueOrDefault(f.Name),
                    yaml = FlowText(f.SourcePath),
                }),
                errors = snapshot.Errors.Select(e => new
                {
                    file = e.Path,
                    lastGoodVersionActive = e.LastGoodActive,
                    messages = e.Errors.Select(m => m.ToString()),
                    yaml = FlowText(e.Path),
                }),
            });
        });
        return api;
    }

    /// <summary>The flow file as it is on disk now (it may be newer than what is in force, when the edit is invalid).</summary>
    private static string? FlowText(string? path)
    {
        const int MaxChars = 64 * 1024;
        if (string.IsNullOrEmpty(path)) return null;
        try
        {
            var text = File.ReadAllText(path);
            return text.Length > MaxChars ? text[..MaxChars] + "\n# … (cut)" : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
