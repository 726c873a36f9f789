using System.Text;
using System.Text.Json.Nodes;

namespace Conduit.Tests.Dashboard;

/// <summary>
/// A minimal reader of a <c>text/event-stream</c> response (HTML Living Standard §9.2.6): fields <c>event:</c> and
/// <c>data:</c>, events ended by a blank line, comment lines (": ...") skipped.
/// </summary>
internal sealed class ServerSentEvents : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private ServerSentEvents(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _reader = new StreamReader(body, Encoding.UTF8);
    }

    public string? MediaType => _response.Content.Headers.ContentType?.MediaType;

    public static async Task<ServerSentEvents> OpenAsync(HttpClient http, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var events = new ServerSentEvents(response, await response.Content.ReadAsStreamAsync());
        // The server writes a comment first: once it is read, the subscription exists and nothing published later is missed.
        await events.ReadLineAsync(TimeSpan.FromSeconds(10));
        return events;
    }

    /// <summary>Reads events until one matches (it is the last of the list returned); fails after the timeout.</summary>
    public async Task<IReadOnlyList<(string Name, JsonObject Data)>> ReadUntilAsync(Func<(string Name, JsonObject Data), bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new List<(string Name, JsonObject Data)>();
        string? name = null;
        var data = new StringBuilder();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) Assert.Fail($"no matching event within {timeout}; saw:\n{string.Join("\n", seen.Select(e => $"{e.Name} {e.Data.ToJsonString()}"))}");
            var line = await ReadLineAsync(left);
            if (line.Length == 0)
            {
                if (name is not null && data.Length > 0)
                {
                    var item = (name, JsonNode.Parse(data.ToString())!.AsObject());
                    seen.Add(item);
                    if (done(item)) return seen;
                }
                (name, data) = (null, data.Clear());
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line["event: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Append(line["data: ".Length..]);
        }
    }

    private async Task<string> ReadLineAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _reader.ReadLineAsync(cancel.Token) ?? throw new EndOfStreamException("the event stream ended");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _response.Dispose();
    }
}
