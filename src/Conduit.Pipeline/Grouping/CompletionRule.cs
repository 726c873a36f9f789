using Conduit.Pipeline.Flows.Matching;

namespace Conduit.Pipeline.Grouping;

/// <summary>
/// When a batch counts as complete. Signals are combined rather than one timer guessed: the batch closes at the first
/// of (a) the expected instance count reached, (b) all delivering associations ended and <see cref="AssociationEndGrace"/>
/// passed without a new instance, (c) <see cref="QuietTime"/> passed without a new instance. For study scope with
/// <see cref="RequiredSeries"/>, (a) and (b) wait until every required series is present; (c) always closes, and the
/// closed batch says whether its requirements were met.
/// </summary>
public sealed record CompletionRule
{
    public const int DefaultQuietTimeSeconds = 10;
    public const int DefaultAssociationEndGraceSeconds = 2;

    public static CompletionRule Default { get; } = new();

    /// <summary>Time without a new instance after which the batch closes, whatever else is known.</summary>
    public TimeSpan QuietTime { get; init; } = TimeSpan.FromSeconds(DefaultQuietTimeSeconds);

    /// <summary>
    /// How long to wait after the last delivering association ended: long enough for a sender that opens one
    /// association per instance (or per series) to come back, short enough that a finished push starts work at once.
    /// Null disables the association-end signal.
    /// </summary>
    public TimeSpan? AssociationEndGrace { get; init; } = TimeSpan.FromSeconds(DefaultAssociationEndGraceSeconds);

    /// <summary>Whether an instance count announced by the data closes the batch when reached.</summary>
    public bool UseExpectedCount { get; init; } = true;

    /// <summary>Study scope: series that must be present (each matched by <see cref="SeriesRequirement"/>) before (a) or (b) may close.</summary>
    public IReadOnlyList<SeriesRequirement> RequiredSeries { get; init; } = [];
}

/// <summary>
/// A series a study batch requires: a name (for messages, and the key an <see cref="InstanceArrival"/> names it by),
/// and a predicate over any of an instance's tags, tested once when the instance is read.
/// </summary>
public sealed record SeriesRequirement(string Name, Func<ITagValues, bool> IsSatisfiedBy);
