using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Conduit.Api;

/// <summary>
/// One page of <c>GET /api/v1/jobs</c> and the links to its neighbours, sent as a <c>Link</c> header (RFC 8288) so the
/// body stays the plain job array: <c>rel="next"</c> for older jobs (<c>before=</c> the last job on the page),
/// <c>rel="prev"</c> for newer ones (<c>after=</c> the first), <c>rel="first"</c> for the newest page when a cursor
/// page came out empty. Pages are cut at job ids, not offsets, so a page the dashboard shows does not shift as new
/// jobs arrive.
/// </summary>
internal sealed class JobListPage
{
    private JobListPage(IReadOnlyList<JobRecord> jobs, Dictionary<string, (string Name, string? Value)> links)
    {
        Jobs = jobs;
        Links = links;
    }

    public IReadOnlyList<JobRecord> Jobs { get; }

    /// <summary>Relation → the cursor parameter (<c>before</c> or <c>after</c>, none for the newest page) and its job id.</summary>
    public IReadOnlyDictionary<string, (string Name, string? Value)> Links { get; }

    public static async Task<JobListPage> ReadAsync(IJobRepository jobs, JobQuery query, CancellationToken cancellationToken)
    {
        // One job more than asked tells whether the list goes on in the direction of travel; the other direction is
        // one look past the page's far end.
        var newer = query.After is not null;
        var read = await jobs.ListAsync(query with { Limit = query.Limit + 1 }, cancellationToken).ConfigureAwait(false);
        var more = read.Count > query.Limit;
        var page = !more ? read : newer ? read.Skip(1).ToList() : read.Take(query.Limit).ToList();
        var links = new Dictionary<string, (string, string?)>(StringComparer.Ordinal);
        if (page.Count == 0)
        {
            if (query.Before is not null || newer) links["first"] = ("", null);
            return new JobListPage(page, links);
        }
        var olderExist = newer ? await AnyAsync(jobs, query with { After = null, Before = page[^1].Id }, cancellationToken).ConfigureAwait(false) : more;
        var newerExist = newer ? more
            : query.Before is not null && await AnyAsync(jobs, query with { Before = null, After = page[0].Id }, cancellationToken).ConfigureAwait(false);
        if (olderExist) links["next"] = ("before", page[^1].Id);
        if (newerExist) links["prev"] = ("after", page[0].Id);
        return new JobListPage(page, links);
    }

    /// <summary>The <c>Link</c> header: each link is this request with its cursor replaced.</summary>
    public StringValues LinkHeader(HttpRequest request)
    {
        var kept = request.Query.Where(p => p.Key is not ("before" or "after"))
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v))).ToList();
        return new StringValues([.. Links.Select(link =>
        {
            var (name, value) = link.Value;
            var parameters = value is null ? kept : [.. kept, new(name, value)];
            var target = QueryHelpers.AddQueryString(request.PathBase + request.Path, parameters);
            return $"<{target}>; rel=\"{link.Key}\"";
        })]);
    }

    private static async Task<bool> AnyAsync(IJobRepository jobs, JobQuery query, CancellationToken cancellationToken) =>
        (await jobs.ListAsync(query with { Limit = 1 }, cancellationToken).ConfigureAwait(false)).Count > 0;
}
