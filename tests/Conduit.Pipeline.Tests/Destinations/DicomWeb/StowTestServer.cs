using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

/// <summary>One STOW-RS request as the server read it.</summary>
internal sealed record StowRequest(string Path, string? ContentType, string? Accept, string? Authorization, long? ContentLength, IReadOnlyList<byte[]> Parts);

/// <summary>What the server answers to one request.</summary>
internal sealed record StowReply(int Status, string? ContentType = null, string? Body = null, TimeSpan Delay = default);

/// <summary>
/// A real Kestrel server on loopback standing in for a DICOMweb origin server whose answers each test scripts: it
/// reads every request's multipart body with ASP.NET's own reader (an independent parser of what Conduit writes) and
/// answers the next scripted reply, or 200 without a body.
/// </summary>
internal sealed class StowTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StowTestServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The DICOMweb base URL (requests are expected at <c>{BaseUrl}/studies</c>).</summary>
    public Uri BaseUrl { get; }

    public ConcurrentQueue<StowReply> Replies { get; } = new();

    public ConcurrentQueue<StowRequest> Requests { get; } = new();

    public static async Task<StowTestServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StowTestServer? server = null;
        app.MapPost("/dicom-web/studies", async (HttpContext context) =>
        {
            var request = context.Request;
            var parts = new List<byte[]>();
            var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                Assert.Equal("application/dicom", section.ContentType);
                using var copy = new MemoryStream();
                await section.Body.CopyToAsync(copy);
                parts.Add(copy.ToArray());
            }
            server!.Requests.Enqueue(new StowRequest(request.Path, request.ContentType, request.Headers.Accept.ToString(),
                request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null, request.ContentLength, parts));
            var reply = server.Replies.TryDequeue(out var next) ? next : new StowReply(200);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, context.RequestAborted);
            context.Response.StatusCode = reply.Status;
            if (reply.Body is not null)
            {
                context.Response.ContentType = reply.ContentType ?? "application/dicom+json";
                await context.Response.WriteAsync(reply.Body);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new StowTestServer(app, new Uri(address + "/dicom-web"));
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
