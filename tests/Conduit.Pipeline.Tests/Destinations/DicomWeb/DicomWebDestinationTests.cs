using System.Net.Http.Headers;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Destinations.DicomWeb;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Destinations.DicomWeb;

/// <summary>The STOW-RS destination against a scripted origin server on loopback, alone and through the delivery runner.</summary>
public sealed class DicomWebDestinationTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private StowTestServer _server = null!;

    public async Task InitializeAsync() => _server = await StowTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
        _dir.Dispose();
    }

    private List<DeliveryItem> Items(int count, int size = 100)
    {
        var folder = Directory.CreateDirectory(_dir.Combine("files")).FullName;
        return Enumerable.Range(1, count).Select(i =>
        {
            var path = Path.Combine(folder, $"{i}.dcm");
            File.WriteAllBytes(path, Enumerable.Repeat((byte)i, size).ToArray());
            return new DeliveryItem(path, "1.2.3", "1.2.3.4", $"1.2.3.4.{i}");
        }).ToList();
    }

    private DicomWebDestination Destination(DicomWebDestinationOptions? options = null) =>
        new("pacs-web", options ?? new DicomWebDestinationOptions(_server.BaseUrl), _http);

    [Fact]
    public async Task Instances_go_in_batches_limited_by_count_and_bytes_with_the_credentials_and_the_json_accept_header()
    {
        var items = Items(7, size: 1000);
        var destination = Destination(new DicomWebDestinationOptions(_server.BaseUrl)
        {
            MaxInstancesPerRequest = 3,
            MaxBytesPerRequest = 2500, // two files of 1000 bytes fit, three do not
            Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("conduit:s3cret"u8)),
        });

        var outcomes = await destination.DeliverAsync(items, CancellationToken.None);

        Assert.All(outcomes, o => Assert.True(o.Acknowledged));
        Assert.Equal(items, outcomes.Select(o => o.Item));
        var requests = _server.Requests.ToList();
        Assert.Equal([2, 2, 2, 1], requests.Select(r => r.Parts.Count));
        Assert.Equal(items.Select(i => File.ReadAllBytes(i.Path)), requests.SelectMany(r => r.Parts));
        Assert.All(requests, r =>
        {
            Assert.Equal("/dicom-web/studies", r.Path);
            Assert.StartsWith("multipart/related; type=\"application/dicom\"; boundary=", r.ContentType);
            Assert.Equal("application/dicom+json", r.Accept);
            Assert.Equal("Basic Y29uZHVpdDpzM2NyZXQ=", r.Authorization);
            Assert.NotNull(r.ContentLength);
        });
    }

    [Fact]
    public void A_file_larger_than_the_byte_limit_goes_alone_and_the_count_limit_holds()
    {
        var item = new DeliveryItem("/x", "1", "2", "3");
        var sizes = new long[] { 10, 500, 10, 10, 10, 10 };

        var batches = DicomWebDestination.Batches(sizes.Select(s => (item, s)).ToList(), maxInstances: 3, maxBytes: 100).ToList();

        Assert.Equal([[10L], [500L], [10L, 10L, 10L], [10L]], batches.Select(b => b.Select(e => e.Length).ToArray()));
    }

    [Fact]
    public async Task A_202_acknowledges_the_stored_instances_and_the_retry_sends_only_the_others()
    {
        var items = Items(3);
        // First answer: instance 2 refused for lack of resources (may pass), the others stored, one with a warning.
        _server.Replies.Enqueue(new StowReply(202, Body: StowJson.Response([("1.2.3.4.1", null), ("1.2.3.4.3", 0xB000)], [("1.2.3.4.2", 0xA700)])));
        var runner = new DeliveryRunner(new MemoryLedger(), new CircuitBreakerRegistry(5, TimeSpan.FromSeconds(30)));
        var schedule = new RetrySchedule { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(1), Jitter = 0 };

        var first = await runner.AttemptAsync("job-1", Destination(), items, 1, schedule, CancellationToken.None);
        var second = await runner.AttemptAsync("job-1", Destination(), items, 2, schedule, CancellationToken.None);

        Assert.Equal(DeliveryStatus.RetryLater, first.Status);
        Assert.Equal(2, first.Acknowledged);
        Assert.Contains("0xA700", Assert.Single(first.Failures).Error);
        Assert.Equal(DeliveryStatus.Delivered, second.Status);
        Assert.Equal((1, 2), (second.Acknowledged, second.Skipped));
        var requests = _server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal([File.ReadAllBytes(items[1].Path)], requests[1].Parts);
    }

    [Fact]
    public async Task Refused_credentials_stop_the_attempt_at_the_first_request_and_fail_the_delivery_without_retries()
    {
        var items = Items(4);
        _server.Replies.Enqueue(new StowReply(401, "text/plain", "Unauthorized"));
        var runner = new DeliveryRunner(new MemoryLedger(), new CircuitBreakerRegistry(5, TimeSpan.FromSeconds(30)));
        var destination = Destination(new DicomWebDestinationOptions(_server.BaseUrl)
        {
            MaxInstancesPerRequest = 2,
            CredentialsDescription = "basic auth as user 'conduit'",
        });

        var result = await runner.AttemptAsync("job-1", destination, items, 1, RetrySchedule.Default, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Failed, result.Status);
        Assert.Single(_server.Requests);
        Assert.Equal(4, result.Failures.Count);
        Assert.Contains("refused by the destination: HTTP 401 Unauthorized", result.Summary);
        Assert.Contains("basic auth as user 'conduit'. A configuration error, not retried", result.Summary);
    }

    [Fact]
    public async Task A_server_that_is_down_or_too_slow_is_a_transient_failure_worth_a_retry()
    {
        var items = Items(2);
        var closed = new Uri($"http://127.0.0.1:{FreeTcpPort()}/dicom-web");
        var down = await Destination(new DicomWebDestinationOptions(closed)).DeliverAsync(items, CancellationToken.None);

        _server.Replies.Enqueue(new StowReply(200, Delay: TimeSpan.FromSeconds(30)));
        var slow = await Destination(new DicomWebDestinationOptions(_server.BaseUrl) { Timeout = TimeSpan.FromMilliseconds(300) })
            .DeliverAsync(items, CancellationToken.None);

        _server.Replies.Enqueue(new StowReply(503, "text/plain", "maintenance"));
        var unavailable = await Destination().DeliverAsync(items, CancellationToken.None);

        Assert.All(down.Concat(slow).Concat(unavailable), o => Assert.True(!o.Acknowledged && o.Transient));
        Assert.StartsWith($"cannot send to {closed.AbsoluteUri}/studies: ", down[0].Error);
        Assert.Contains("Connection refused", down[0].Error);
        Assert.Equal($"no answer from {_server.BaseUrl.AbsoluteUri}/studies within 300ms (the destination's timeout)", slow[0].Error);
        Assert.EndsWith("a server error (maintenance)", unavailable[0].Error);
    }

    [Fact]
    public async Task A_missing_source_file_fails_alone_and_for_good()
    {
        var items = Items(2);
        File.Delete(items[0].Path);

        var outcomes = await Destination().DeliverAsync(items, CancellationToken.None);

        var missing = outcomes.Single(o => o.Item == items[0]);
        Assert.False(missing.Transient || missing.Acknowledged);
        Assert.StartsWith("source file is gone", missing.Error);
        Assert.True(outcomes.Single(o => o.Item == items[1]).Acknowledged);
        Assert.Equal([File.ReadAllBytes(items[1].Path)], Assert.Single(_server.Requests).Parts);
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class MemoryLedger : IDeliveryLedger
    {
        private readonly HashSet<string> _acks = [];

        public ValueTask<IReadOnlySet<string>> AcknowledgedAsync(string jobId, string destination, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlySet<string>>(new HashSet<string>(_acks.Where(a => a.StartsWith($"{jobId}|{destination}|", StringComparison.Ordinal))
                .Select(a => a.Split('|')[2])));

        public ValueTask RecordAcknowledgedAsync(string jobId, string destination, IReadOnlyList<string> sopInstanceUids, CancellationToken cancellationToken)
        {
            foreach (var uid in sopInstanceUids) _acks.Add($"{jobId}|{destination}|{uid}");
            return ValueTask.CompletedTask;
        }
    }
}
