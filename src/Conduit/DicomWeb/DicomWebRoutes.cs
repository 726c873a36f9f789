using Conduit.Api;
using Conduit.Auth;
using Conduit.Pipeline.Ingest;
using Conduit.Pipeline.Store;

namespace Conduit.DicomWeb;

/// <summary>
/// The DICOMweb Studies Service (PS3.18 §10) under <c>/dicomweb</c>: STOW-RS store, QIDO-RS search of studies and
/// series, WADO-RS retrieve of stored instances.
/// </summary>
internal static class DicomWebRoutes
{
    public const string Prefix = "/dicomweb";
    public const string DicomJson = "application/dicom+json";

    public static WebApplication MapDicomWeb(this WebApplication app)
    {
        var web = app.MapGroup(Prefix);
        web.MapPost("/studies", (HttpContext context, FileImporter importer, InstanceIngestor ingestor, TimeProvider time, CancellationToken cancellationToken) =>
                StowEndpoint.StoreAsync(context, null, importer, ingestor, time, cancellationToken))
            .WithMetadata(new RequestSizeLimitAttribute(FilesEndpoints.MaxUploadBytes)).RequireAuthorization(ConduitPolicies.Operator);
        web.MapPost("/studies/{study}", (HttpContext context, string study, FileImporter importer, InstanceIngestor ingestor, TimeProvider time,
                CancellationToken cancellationToken) => StowEndpoint.StoreAsync(context, study, importer, ingestor, time, cancellationToken))
            .WithMetadata(new RequestSizeLimitAttribute(FilesEndpoints.MaxUploadBytes)).RequireAuthorization(ConduitPolicies.Operator);
        web.MapGet("/studies", QidoEndpoint.SearchStudiesAsync);
        web.MapGet("/studies/{study}/series", QidoEndpoint.SearchSeriesAsync);
        web.MapGet("/studies/{study}", (HttpContext context, string study, IInstanceStore store, IInstanceFileLayout layout, CancellationToken cancellationToken) =>
            WadoEndpoint.RetrieveAsync(context, store, layout, study, null, null, cancellationToken));
        web.MapGet("/studies/{study}/series/{series}", (HttpContext context, string study, string series, IInstanceStore store,
            IInstanceFileLayout layout, CancellationToken cancellationToken) =>
            WadoEndpoint.RetrieveAsync(context, store, layout, study, series, null, cancellationToken));
        web.MapGet("/studies/{study}/series/{series}/instances/{sop}", (HttpContext context, string study, string series, string sop,
            IInstanceStore store, IInstanceFileLayout layout, CancellationToken cancellationToken) =>
            WadoEndpoint.RetrieveAsync(context, store, layout, study, series, sop, cancellationToken));
        return app;
    }

    /// <summary>The absolute base URL of the Studies Service as the client reached it, for Retrieve URLs.</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{Prefix}";

    /// <summary>A DICOM JSON body (PS3.18 Annex F).</summary>
    public static IResult Json(int statusCode, Action<Stream> write) => new DicomJsonResult(statusCode, write);

    private sealed class DicomJsonResult(int statusCode, Action<Stream> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = statusCode;
            httpContext.Response.ContentType = DicomJson;
            // The writer is synchronous; the response is small (one dataset per study, series or stored part).
            using var buffer = new MemoryStream();
            write(buffer);
            buffer.Position = 0;
            await buffer.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }
}
