using Conduit.Dicom;
using Conduit.Pipeline.Flows.Matching;
using Conduit.Pipeline.Grouping;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Pipeline.Tests.Grouping;

public sealed class BatchTrackerTests
{
    private static readonly BatchKey Series1 = new(BatchScope.Series, "1.2.3.1", "ct-flow");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero));
    private readonly BatchTracker _tracker;

    public BatchTrackerTests() => _tracker = new BatchTracker(_time);

    /// <summary>An arrival meeting the requirement named after its modality (see <see cref="ModalityRequirement"/>).</summary>
    private static InstanceArrival Instance(int n, string? association = "assoc-1", int? expected = null, string series = "1.2.3.1",
        string modality = "CT") =>
        new($"1.2.3.1.{n}", series, association, expected,
            InstanceArrival.Meeting([ModalityRequirement("CT"), ModalityRequirement("PT")], new KeywordTagValues(new Dictionary<string, string> { ["Modality"] = modality })));

    private static SeriesRequirement ModalityRequirement(string modality) =>
        new(modality, values => values.TryGetValues(DicomTags.Modality, out _, out var joined) && joined == modality);

    [Fact]
    public void Quiet_time_closes_a_batch_only_after_no_instance_arrived_for_that_long()
    {
        var rule = CompletionRule.Default with { AssociationEndGrace = null };
        _tracker.Add(Series1, Instance(1), rule);
        _time.Advance(TimeSpan.FromSeconds(6));
        _tracker.Add(Series1, Instance(2), rule);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(_tracker.Poll());

        _time.Advance(TimeSpan.FromSeconds(1));
        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(BatchCloseReason.QuietTime, closed.Reason);
        Assert.Equal(2, closed.InstanceCount);
        Assert.Equal(0, _tracker.OpenCount);
    }

    [Fact]
    public void The_announced_instance_count_closes_the_batch_at_once()
    {
        _tracker.Add(Series1, Instance(1, expected: 3), CompletionRule.Default);
        _tracker.Add(Series1, Instance(2, expected: 3), CompletionRule.Default);
        Assert.Empty(_tracker.Poll());
        _tracker.Add(Series1, Instance(3, expected: 3), CompletionRule.Default);

        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(BatchCloseReason.ExpectedCountReached, closed.Reason);
        Assert.Equal(3, closed.InstanceCount);
    }

    [Fact]
    public void A_resent_instance_is_not_counted_twice()
    {
        _tracker.Add(Series1, Instance(1, expected: 2), CompletionRule.Default);
        var again = _tracker.Add(Series1, Instance(1, expected: 2), CompletionRule.Default);

        Assert.True(again.Duplicate);
        Assert.Empty(_tracker.Poll());
    }

    [Fact]
    public void The_end_of_the_delivering_association_closes_after_the_grace_period()
    {
        _tracker.Add(Series1, Instance(1), CompletionRule.Default);
        _tracker.Add(Series1, Instance(2), CompletionRule.Default);
        _time.Advance(TimeSpan.FromSeconds(1));
        _tracker.AssociationEnded("assoc-1");
        _time.Advance(TimeSpan.FromSeconds(1.5));
        Assert.Empty(_tracker.Poll());

        _time.Advance(TimeSpan.FromSeconds(0.5));
        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(BatchCloseReason.AssociationsEnded, closed.Reason);
    }

    [Fact]
    public void A_sender_that_opens_an_association_per_instance_is_not_cut_off_while_it_keeps_sending()
    {
        for (var i = 0; i < 5; i++)
        {
            _tracker.Add(Series1, Instance(i, association: $"assoc-{i}"), CompletionRule.Default);
            _tracker.AssociationEnded($"assoc-{i}");
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.Empty(_tracker.Poll());
        }
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(5, Assert.Single(_tracker.Poll()).InstanceCount);
    }

    [Fact]
    public void A_batch_fed_by_two_associations_waits_for_both_to_end()
    {
        _tracker.Add(Series1, Instance(1, association: "a"), CompletionRule.Default);
        _tracker.Add(Series1, Instance(2, association: "b"), CompletionRule.Default);
        _tracker.AssociationEnded("a");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_tracker.Poll());

        _tracker.AssociationEnded("b");
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(BatchCloseReason.AssociationsEnded, Assert.Single(_tracker.Poll()).Reason);
    }

    [Fact]
    public void Instances_without_an_association_close_by_quiet_time()
    {
        _tracker.Add(Series1, Instance(1, association: null), CompletionRule.Default);
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(_tracker.Poll());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(BatchCloseReason.QuietTime, Assert.Single(_tracker.Poll()).Reason);
    }

    [Fact]
    public void A_late_instance_after_closing_opens_a_new_batch_flagged_as_following_the_closed_one()
    {
        var first = _tracker.Add(Series1, Instance(1, expected: 1), CompletionRule.Default);
        Assert.Single(_tracker.Poll());

        var late = _tracker.Add(Series1, Instance(2), CompletionRule.Default);

        Assert.True(late.Opened);
        Assert.True(late.FollowsClosedBatch);
        Assert.NotEqual(first.BatchId, late.BatchId);
        Assert.False(first.FollowsClosedBatch);
    }

    [Fact]
    public void Adding_to_the_batch_the_store_used_drops_a_stale_open_batch_without_closing_it_and_flags_the_instance_late()
    {
        _tracker.Add(Series1, Instance(1), CompletionRule.Default, "closed-elsewhere");

        var kept = _tracker.AddTo("closed-elsewhere", Series1, Instance(2), CompletionRule.Default);
        var moved = _tracker.AddTo("store-new", Series1, Instance(3), CompletionRule.Default);

        Assert.Equal(("closed-elsewhere", false), (kept.BatchId, kept.Opened));
        Assert.Equal(("store-new", true, true), (moved.BatchId, moved.Opened, moved.FollowsClosedBatch));
        Assert.Equal(1, _tracker.OpenCount);
        _time.Advance(TimeSpan.FromHours(1));
        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(("store-new", 1), (closed.BatchId, closed.InstanceCount));
    }

    [Fact]
    public void A_forgotten_batch_is_neither_tracked_nor_closed_here()
    {
        _tracker.Add(Series1, Instance(1), CompletionRule.Default, "adopted-elsewhere");

        _tracker.Forget(Series1);

        Assert.Null(_tracker.OpenBatchId(Series1));
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(_tracker.Poll());
    }

    [Fact]
    public void A_study_with_required_series_is_not_closed_early_until_they_are_present_and_says_what_was_missing()
    {
        var study = new BatchKey(BatchScope.Study, "1.2.3", "pet-ct");
        var rule = CompletionRule.Default with
        {
            RequiredSeries = [ModalityRequirement("CT"), ModalityRequirement("PT")],
        };
        _tracker.Add(study, Instance(1, series: "s-ct", modality: "CT"), rule);
        _tracker.AssociationEnded("assoc-1");
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(_tracker.Poll());

        _time.Advance(TimeSpan.FromSeconds(5));
        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(BatchCloseReason.QuietTime, closed.Reason);
        Assert.Equal(["PT"], closed.MissingRequiredSeries);
        Assert.Contains("required series missing: PT", closed.Describe());
    }

    [Fact]
    public void A_study_whose_required_series_arrived_closes_when_its_association_ends()
    {
        var study = new BatchKey(BatchScope.Study, "1.2.3", "pet-ct");
        var rule = CompletionRule.Default with
        {
            RequiredSeries = [ModalityRequirement("CT"), ModalityRequirement("PT")],
        };
        _tracker.Add(study, Instance(1, series: "s-ct", modality: "CT"), rule);
        _tracker.Add(study, Instance(2, series: "s-pt", modality: "PT"), rule);
        _tracker.AssociationEnded("assoc-1");
        _time.Advance(TimeSpan.FromSeconds(2));

        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal(BatchCloseReason.AssociationsEnded, closed.Reason);
        Assert.Empty(closed.MissingRequiredSeries);
    }

    [Fact]
    public void Batches_of_different_flows_for_the_same_series_close_independently()
    {
        var other = Series1 with { Flow = "other-flow" };
        _tracker.Add(Series1, Instance(1), CompletionRule.Default with { QuietTime = TimeSpan.FromSeconds(5), AssociationEndGrace = null });
        _tracker.Add(other, Instance(1), CompletionRule.Default with { QuietTime = TimeSpan.FromSeconds(30), AssociationEndGrace = null });
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(Series1, Assert.Single(_tracker.Poll()).Key);
        Assert.Equal(1, _tracker.OpenCount);
    }

    [Fact]
    public void A_restored_batch_whose_quiet_time_passed_during_the_restart_closes_at_once()
    {
        var opened = _time.GetUtcNow() - TimeSpan.FromMinutes(3);
        _tracker.Restore(Series1, "batch-7", CompletionRule.Default, opened, opened + TimeSpan.FromMinutes(1), [Instance(1), Instance(2)]);

        var closed = Assert.Single(_tracker.Poll());
        Assert.Equal("batch-7", closed.BatchId);
        Assert.Equal(2, closed.InstanceCount);
        Assert.Equal(BatchCloseReason.QuietTime, closed.Reason);
    }

    [Fact]
    public void Next_due_time_is_the_earliest_signal()
    {
        Assert.Null(_tracker.NextDueAt());
        var start = _time.GetUtcNow();
        _tracker.Add(Series1, Instance(1), CompletionRule.Default);
        Assert.Equal(start + TimeSpan.FromSeconds(10), _tracker.NextDueAt());

        _tracker.AssociationEnded("assoc-1");
        Assert.Equal(start + TimeSpan.FromSeconds(2), _tracker.NextDueAt());
    }

    [Fact]
    public void Forced_close_returns_the_batch_and_removes_it()
    {
        _tracker.Add(Series1, Instance(1), CompletionRule.Default);
        Assert.Equal(BatchCloseReason.Forced, _tracker.Close(Series1)?.Reason);
        Assert.Null(_tracker.Close(Series1));
        Assert.Empty(_tracker.Poll());
    }
}
