using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Conduit.Tests.Serve.Support;

/// <summary>
/// The HTTP API of a running <c>conduit serve</c>, as a client sees it: JSON from <c>/api/v1/...</c>. The waits poll
/// the API (the way a script would) until a condition holds, and fail with the job list and Conduit's log.
/// </summary>
internal sealed class ServeApi(Uri baseAddress, Func<string> serverOutput) : IDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Sends <c>Authorization: Bearer TOKEN</c> from now on (a site where a user exists requires credentials).</summary>
    public void UseBearerToken(string token) =>
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

    /// <summary><c>GET /api/v1/jobs?study=UID</c> (every job when null).</summary>
    public async Task<IReadOnlyList<JsonObject>> JobsAsync(string? studyInstanceUid = null)
    {
        var query = studyInstanceUid is null ? "" : "&study=" + Uri.EscapeDataString(studyInstanceUid);
        var jobs = await _http.GetFromJsonAsync<JsonArray>("api/v1/jobs?limit=1000" + query).ConfigureAwait(false)
            ?? throw new InvalidDataException("GET /api/v1/jobs returned null");
        return jobs.Select(j => j!.AsObject()).ToList();
    }

    /// <summary><c>GET /api/v1/jobs/{id}</c>: the job, its steps, destinations and events.</summary>
    public async Task<JsonObject> JobAsync(string id) =>
        await _http.GetFromJsonAsync<JsonObject>("api/v1/jobs/" + Uri.EscapeDataString(id)).ConfigureAwait(false)
            ?? throw new InvalidDataException($"GET /api/v1/jobs/{id} returned null");

    /// <summary><c>POST /api/v1/jobs/{id}/retry</c>; returns the HTTP status.</summary>
    public async Task<HttpStatusCode> RetryAsync(string id)
    {
        using var response = await _http.PostAsync($"api/v1/jobs/{Uri.EscapeDataString(id)}/retry", null).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary><c>POST /api/v1/jobs/{id}/cancel</c>; returns the HTTP status.</summary>
    public async Task<HttpStatusCode> CancelAsync(string id)
    {
        using var response = await _http.PostAsync($"api/v1/jobs/{Uri.EscapeDataString(id)}/cancel", null).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary><c>GET /api/v1/series/{uid}</c>, or null on 404.</summary>
    public async Task<JsonObject?> SeriesAsync(string seriesInstanceUid)
    {
        using var response = await _http.GetAsync("api/v1/series/" + Uri.EscapeDataString(seriesInstanceUid)).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>().ConfigureAwait(false);
    }

    /// <summary>Waits for the one job of <paramref name="studyInstanceUid"/> and returns its list entry.</summary>
    public async Task<JsonObject> WaitForJobAsync(string studyInstanceUid, Func<JsonObject, bool>? until = null, TimeSpan? timeout = null)
    {
        JsonObject? found = null;
        await WaitUntilAsync(async () =>
        {
            var jobs = await JobsAsync(studyInstanceUid).ConfigureAwait(false);
            found = jobs.Count == 1 && (until?.Invoke(jobs[0]) ?? true) ? jobs[0] : null;
            return found is not null;
        }, $"a job for study {studyInstanceUid}", timeout).ConfigureAwait(false);
        return found!;
    }

    /// <summary>Waits until the job of <paramref name="studyInstanceUid"/> is sent or failed; returns its details.</summary>
    public async Task<JsonObject> WaitForEndedJobAsync(string studyInstanceUid, TimeSpan? timeout = null)
    {
        var job = await WaitForJobAsync(studyInstanceUid, j => Status(j) is "sent" or "failed", timeout).ConfigureAwait(false);
        return await JobAsync(Id(job)).ConfigureAwait(false);
    }

    /// <summary>Waits until a step of the job is running (the job is in the middle of its work).</summary>
    public async Task<JsonObject> WaitForRunningStepAsync(string jobId, string step, TimeSpan? timeout = null)
    {
        JsonObject? details = null;
        await WaitUntilAsync(async () =>
        {
            details = await JobAsync(jobId).ConfigureAwait(false);
            return Steps(details).Any(s => Name(s) == step && Status(s) == "running");
        }, $"step {step} of job {jobId} running", timeout).ConfigureAwait(false);
        return details!;
    }

    /// <summary>Polls <paramref name="condition"/> until true; fails after the timeout with the jobs and the log.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                var jobs = await JobsAsync().ConfigureAwait(false);
                Assert.Fail($"timed out waiting for {what}\njobs: {new JsonArray([.. jobs.Select(j => j.DeepClone())])}\n{serverOutput()}");
            }
            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    public static string Id(JsonNode job) => (string)job["id"]!;

    public static string Status(JsonNode record, string property = "status") => (string)record[property]!;

    public static string Name(JsonNode record) => (string)record["name"]!;

    public static JsonObject Job(JsonNode details) => details["job"]!.AsObject();

    public static IReadOnlyList<JsonObject> Steps(JsonNode details) => details["steps"]!.AsArray().Select(s => s!.AsObject()).ToList();

    public static IReadOnlyList<JsonObject> Destinations(JsonNode details) => details["destinations"]!.AsArray().Select(s => s!.AsObject()).ToList();

    public static DateTimeOffset? Time(JsonNode record, string name) =>
        record[name] is { } value ? DateTimeOffset.Parse((string)value!, System.Globalization.CultureInfo.InvariantCulture) : null;

    public void Dispose() => _http.Dispose();
}
