using Conduit.Dicom.Network.Scu;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Flows.Model;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Orchestration;

/// <summary>Builds the destination a flow names, with the configured defaults filled in.</summary>
public sealed class DestinationFactory(DestinationDefaultsOptions defaults, string dataDirectory, ILoggerFactory loggerFactory)
{
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
        _ => new UnavailableDestination(definition.Name,
            definition is DicomDestinationDefinition ? "return-to-sender destinations are not supported yet: give a host"
                : $"{definition.Kind} destinations are not supported yet"),
    };

    public RetrySchedule ScheduleFor(DestinationDefinition definition) => definition.Retry.ToSchedule(defaults);

    /// <summary>A destination Conduit cannot deliver to: every item fails for good with the reason.</summary>
    private sealed class UnavailableDestination(string name, string reason) : IDestination
    {
        public string Name { get; } = name;

        public ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<DeliveryOutcome>>(items.Select(i => DeliveryOutcome.PermanentFailure(i, reason)).ToList());
    }
}
