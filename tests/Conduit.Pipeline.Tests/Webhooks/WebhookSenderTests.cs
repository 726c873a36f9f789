using System.Collections.Concurrent;
using System.Text.Json;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Pipeline.Tests.Webhooks;

/// <summary>Against a real Kestrel server on loopback that answers what each test scripts.</summary>
public sealed class WebhookSenderTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<int> _answers = new();
    private readonly ConcurrentQueue<string> _received = new();
    private WebApplication? _app;
    private Uri _url = null!;

    private static readonly RetrySchedule FastRetries = new() { MaxAttempts = 4, InitialDelay = TimeSpan.FromMilliseconds(20), Jitter = 0 };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            _received.Enqueue(context.Request.ContentType + "|" + await reader.ReadToEndAsync());
            context.Response.StatusCode = _answers.TryDequeue(out var code) ? code : 200;
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _url = new Uri(address + "/hook");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private static WebhookSender Sender() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, NullLogger<WebhookSender>.Instance);

    [Fact]
    public async Task The_job_summary_is_posted_as_json()
    {
        var result = await Sender().SendAsync(_url, new { JobId = "j1", Status = "sent", Steps = 2 }, FastRetries, CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal(1, result.Attempts);
        var (contentType, body) = Split(Assert.Single(_received));
        Assert.StartsWith("application/json", contentType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("j1", json.RootElement.GetProperty("jobId").GetString());
        Assert.Equal("sent", json.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Server_errors_are_retried_until_accepted()
    {
        _answers.Enqueue(503);
        _answers.Enqueue(500);

        var result = await Sender().SendAsync(_url, new { JobId = "j2" }, FastRetries, CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal(3, result.Attempts);
        Assert.Equal(3, _received.Count);
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        _answers.Enqueue(400);

        var result = await Sender().SendAsync(_url, new { JobId = "j3" }, FastRetries, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("400", result.Detail);
    }

    [Fact]
    public async Task An_unreachable_receiver_is_retried_then_given_up()
    {
        var closed = new Uri($"http://127.0.0.1:{FreePort()}/hook");

        var result = await Sender().SendAsync(closed, new { JobId = "j4" }, FastRetries, CancellationToken.None);

        Assert.False(result.Delivered);
        Assert.Equal(FastRetries.MaxAttempts, result.Attempts);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (string, string) Split(string received)
    {
        var bar = received.IndexOf('|');
        return (received[..bar], received[(bar + 1)..]);
    }
}
