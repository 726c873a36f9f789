using Conduit.Dashboard;
using Conduit.DicomWeb;
using Microsoft.AspNetCore.Diagnostics;

namespace Conduit.Api;

/// <summary>The HTTP API's routes and its one error shape (ProblemDetails; no exception text in a 500).</summary>
internal static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddConduitApi(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        return services;
    }

    public static WebApplication MapConduitApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        app.MapHealth();
        app.MapGroup(Prefix).MapJobs().MapStudies().MapFlows().MapFiles().MapFolderBatches().MapActivity().MapEvents();
        app.MapDicomWeb();
        app.MapDashboard();
        return app;
    }
}
