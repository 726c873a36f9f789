using Conduit.Dicom.Network.Dimse;
using Conduit.Dicom.Network.Scu;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Destinations;

/// <summary>
/// A DICOM node (C-STORE SCP) as a destination, through Conduit's SCU. A status the peer gives per instance decides
/// whether that instance may be retried: out of resources (0xA7xx) and anything that kept the instance from being
/// sent at all (connection refused, association rejected or lost) are transient; a refusal of the data itself
/// (0xA9xx, 0xCxxx, SOP class not supported, a file we cannot read) is permanent.
/// </summary>
public sealed class DicomDestination(string name, string host, int port, ScuOptions options, ILogger? logger = null) : IDestination
{
    public string Name { get; } = name;

    public async ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var report = await StoreScu.SendAsync(host, port, items.Select(i => i.Path).ToList(), options, null, logger, cancellationToken)
            .ConfigureAwait(false);
        var outcomes = new List<DeliveryOutcome>(items.Count);
        for (var i = 0; i < items.Count; i++)
            outcomes.Add(Classify(items[i], report.Results[i], report));
        return outcomes;
    }

    /// <summary>What StoreScu says of a file the peer can never take: it did not accept the SOP class or syntax, or
    /// the file cannot be read (retrying will not change either), or the peer aborted on this very file.</summary>
    private static readonly string[] PermanentReasons = ["did not accept", "cannot read", "cannot open", "aborted the association while receiving it"];

    internal static DeliveryOutcome Classify(DeliveryItem item, StoreScuResult result, StoreScuReport report)
    {
        if (result.Succeeded) return DeliveryOutcome.Success(item);
        if (result.Status is { } status)
        {
            var transient = status.Code is >= 0xA700 and <= 0xA7FF;
            var why = $"{result.FailureReason} from the peer";
            return transient ? DeliveryOutcome.TransientFailure(item, why) : DeliveryOutcome.PermanentFailure(item, why);
        }
        // No status: the instance never reached the peer. A file we could not read or convert fails for good;
        // anything network-side may pass.
        var reason = result.FailureReason;
        var unreadable = result.SopClassUid is null || PermanentReasons.Any(p => reason.Contains(p, StringComparison.OrdinalIgnoreCase));
        return unreadable
            ? DeliveryOutcome.PermanentFailure(item, reason)
            : DeliveryOutcome.TransientFailure(item, report.NetworkError is { } network && !reason.Contains(network, StringComparison.Ordinal)
                ? $"{reason} ({network})" : reason);
    }
}
