namespace Conduit.Pipeline.Configuration;

/// <summary><c>grouping:</c> when a series or study counts as complete.</summary>
public sealed class GroupingOptions
{
    public const int DefaultQuietTimeSeconds = 10;

    /// <summary>Time without a new instance after which a series (or study) is complete, whatever else is known.</summary>
    public TimeSpan QuietTime { get; set; } = TimeSpan.FromSeconds(DefaultQuietTimeSeconds);

    /// <summary>Per-modality quiet times (key: the Modality value, e.g. MR), for modalities that pause between instances.</summary>
    public Dictionary<string, TimeSpan> ModalityQuietTime { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The quiet time for a series of <paramref name="modality"/>.</summary>
    public TimeSpan QuietTimeFor(string? modality) =>
        modality is not null && ModalityQuietTime.TryGetValue(modality, out var t) ? t : QuietTime;
}
