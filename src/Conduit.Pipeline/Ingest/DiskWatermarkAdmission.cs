using Conduit.Dicom.Network.Association;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest;

/// <summary>
/// Refuses new associations (A-ASSOCIATE-RJ transient, temporary congestion: the sender retries later) while the
/// disk holding the data directory is fuller than the watermark, so Conduit never acknowledges what it cannot keep.
/// </summary>
public sealed partial class DiskWatermarkAdmission(string dataDirectory, int watermarkPercent, ILogger<DiskWatermarkAdmission> logger)
    : IAssociationAdmission
{
    /// <summary>The last refusal's reason while the disk is over the watermark; null when below (the API shows it).</summary>
    public string? Pressure { get; private set; }

    public ValueTask<AssociationRejection?> AdmitAsync(AssociationRequestInfo request, CancellationToken cancellationToken)
    {
        var used = UsedPercent();
        if (used < watermarkPercent)
        {
            Pressure = null;
            return ValueTask.FromResult<AssociationRejection?>(null);
        }
        Pressure = $"disk {used:0.#}% full (watermark {watermarkPercent}%): new associations are refused until space is freed";
        LogRefused(logger, request.CallingAeTitle, Pressure);
        return ValueTask.FromResult<AssociationRejection?>(AssociationRejection.TemporaryCongestion(Pressure));
    }

    public double UsedPercent()
    {
        var drive = new DriveInfo(Path.GetFullPath(dataDirectory));
        return drive.TotalSize == 0 ? 0 : 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / drive.TotalSize;
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Association from {CallingAe} refused: {Why}")]
    private static partial void LogRefused(ILogger logger, string callingAe, string why);
}
