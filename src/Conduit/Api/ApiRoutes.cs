using Conduit.Auth;
using Conduit.Dashboard;
using Conduit.DicomWeb;
using Microsoft.AspNetCore.Diagnostics;

namespace Conduit.Api;

/// <summary>The HTTP API's routes, its one error shape (ProblemDetails; no exception text in a 500) and its authentication.</summary>
internal static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddConduitApi(this IServiceCollection services, ConduitAuthSettings auth)
    {
        services.AddConduitAuth(auth);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        return services;
    }

    public static WebApplication MapConduitApi(this WebApplication app)
    {
        // First: everything after sees the client's address and scheme (forwarded only by trusted proxies, Hosting/HttpFrontDoor).
        app.UseForwardedHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = _ => StatusCodes.Status500InternalServerError });
        app.UseStatusCodePages();
        // Every route below (and any mapped later) is behind the Viewer fallback policy unless marked otherwise.
        app.UseConduitAuth();
        app.MapHealth();
        app.MapGroup(Prefix).MapJobs().MapStudies().MapFlows().MapFiles().MapFolderBatches().MapActivity().MapEvents();
        app.MapDicomWeb();
        app.MapDashboard();
        return app;
    }
}
