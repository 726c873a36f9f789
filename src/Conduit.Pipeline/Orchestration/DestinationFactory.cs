using Conduit.Dicom.Network.Scu;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Destinations.DicomWeb;
using Conduit.Pipeline.Flows.Model;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>Builds the destination a flow names, with the configured defaults filled in.</summary>
public sealed class DestinationFactory(DestinationDefaultsOptions defaults, string dataDirectory, ILoggerFactory loggerFactory,
    Func<string, string?>? environment = null) : IDisposable
{
    private readonly Func<string, string?> _environment = environment ?? Environment.GetEnvironmentVariable;

    // One client for every DICOMweb destination: pooled connections, the system trust store for https (the default),
    // no redirects (a redirected POST would lose its body or carry the credentials elsewhere; the 3xx is reported).
    // The per-request timeout is the destination's own.
    private readonly Lazy<HttpClient> _http = new(() => new HttpClient(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = Timeout.InfiniteTimeSpan });

    public IDestination Create(DestinationDefinition definition) => definition switch
    {
        DicomDestinationDefinition d when d.Host is not null => new DicomDestination(d.Name, d.Host, d.Port, new ScuOptions
        {
            CalledAeTitle = d.CalledAeTitle ?? ScuOptions.DefaultCalledAeTitle,
            CallingAeTitle = d.CallingAeTitle ?? defaults.CallingAeTitle ?? ScuOptions.DefaultCallingAeTitle,
            // The delivery runner retries with backoff and a circuit breaker; the SCU should not also loop.
            Retries = 0,
        }, loggerFactory.CreateLogger("Conduit.Destinations.Dicom")),
        FolderDestinationDefinition f => new FolderDestination(f.Name, f.ResolvePath(dataDirectory)),
        DicomWebDestinationDefinition w => CreateDicomWeb(w),
        _ => new UnavailableDestination(definition.Name,
            definition is DicomDestinationDefinition ? "return-to-sender destinations are not supported yet: give a host"
                : $"{definition.Kind} destinations are not supported yet"),
    };

    private IDestination CreateDicomWeb(DicomWebDestinationDefinition definition)
    {
        var (header, description, problem) = DicomWebCredentials.Resolve(definition.Auth, _environment);
        if (problem is not null) return new UnavailableDestination(definition.Name, problem);
        return new DicomWebDestination(definition.Name, new DicomWebDestinationOptions(definition.Url)
        {
            Authorization = header,
            CredentialsDescription = description,
            MaxInstancesPerRequest = definition.MaxInstances,
            MaxBytesPerRequest = definition.MaxRequestBytes,
            Timeout = definition.Timeout,
        }, _http.Value, loggerFactory.CreateLogger("Conduit.Destinations.DicomWeb"));
    }

    public RetrySchedule ScheduleFor(DestinationDefinition definition) => definition.Retry.ToSchedule(defaults);

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }

    /// <summary>A destination Conduit cannot deliver to: every item fails for good with the reason.</summary>
    private sealed class UnavailableDestination(string name, string reason) : IDestination
    {
        public string Name { get; } = name;

        public ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<DeliveryOutcome>>(items.Select(i => DeliveryOutcome.PermanentFailure(i, reason)).ToList());
    }
}
