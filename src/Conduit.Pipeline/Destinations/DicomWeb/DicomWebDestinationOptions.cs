using System.Net.Http.Headers;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>Where and how a <see cref="DicomWebDestination"/> sends.</summary>
/// <param name="BaseUrl">The DICOMweb service root; requests go to <c>{BaseUrl}/studies</c> (PS3.18 §10.5.1).</param>
public sealed record DicomWebDestinationOptions(Uri BaseUrl)
{
    /// <summary>The Authorization header of every request (basic or bearer), or none.</summary>
    public AuthenticationHeaderValue? Authorization { get; init; }

    /// <summary>The credentials in words, without the secret (e.g. "basic auth as user 'conduit'"), for error messages.</summary>
    public string CredentialsDescription { get; init; } = "a request without credentials";

    public int MaxInstancesPerRequest { get; init; } = 50;

    public long MaxBytesPerRequest { get; init; } = 64L << 20;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The Studies Store Transaction's target resource (PS3.18 §10.5.1: <c>POST {s}/studies</c>).</summary>
    public Uri StudiesUrl => new(BaseUrl.AbsoluteUri.TrimEnd('/') + "/studies");
}
