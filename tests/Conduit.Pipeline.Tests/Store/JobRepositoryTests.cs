using Conduit.Pipeline.Jobs;
using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

public sealed class JobRepositoryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static NewJob Job(string flow = "ct-seg", int priority = 0, string? study = "1.2.3") =>
        new(flow, "1", priority, null, study, ["copy", "report"], ["pacs", "folder"]);

    [Theory, BothProviders]
    public async Task A_new_job_is_pending_with_pending_steps_in_order_and_pending_destinations(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);

        var job = await jobs.CreateAsync(Job(), None);
        var details = (await jobs.GetDetailsAsync(job.Id, None))!;

        Assert.Equal((JobStatus.Pending, 0, "ct-seg"), (details.Job.Status, details.Job.Attempts, details.Job.FlowName));
        Assert.Equal(["copy", "report"], details.Steps.Select(s => s.Name));
        Assert.All(details.Steps, s => Assert.Equal(StepStatus.Pending, s.Status));
        Assert.Equal(["folder", "pacs"], details.Destinations.Select(d => d.Name));
        Assert.Equal("pending", Assert.Single(details.Events).ToStatus);
    }

    [Theory, BothProviders]
    public async Task A_job_run_to_the_end_records_every_transition_with_times(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var job = await jobs.CreateAsync(Job(), None);

        store.Time.Advance(TimeSpan.FromSeconds(1));
        await jobs.TransitionAsync(job.Id, JobStatus.Running, null, None);
        await jobs.StartStepAsync(job.Id, "copy", None);
        store.Time.Advance(TimeSpan.FromSeconds(2));
        await jobs.CompleteStepAsync(job.Id, "copy", new StepCompletion(StepStatus.Finished, null, store.Time.GetUtcNow(), 0, false, "copied\n", null), None);
        await jobs.CompleteStepAsync(job.Id, "report", new StepCompletion(StepStatus.Skipped, null, store.Time.GetUtcNow(), null, false, null, "when: false"), None);
        await jobs.TransitionAsync(job.Id, JobStatus.Finished, null, None);
        await jobs.TransitionAsync(job.Id, JobStatus.Sending, null, None);
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sending, null, null, None);
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sent, null, null, None);
        await jobs.UpdateDestinationAsync(job.Id, "folder", DestinationStatus.Sending, null, null, None);
        await jobs.UpdateDestinationAsync(job.Id, "folder", DestinationStatus.Sent, null, null, None);
        store.Time.Advance(TimeSpan.FromSeconds(1));
        var sent = await jobs.TransitionAsync(job.Id, JobStatus.Sent, null, None);

        Assert.Equal((JobStatus.Sent, 1), (sent.Status, sent.Attempts));
        Assert.Equal(TimeSpan.FromSeconds(3), sent.EndedAt - sent.StartedAt);
        var details = (await jobs.GetDetailsAsync(job.Id, None))!;
        var copy = details.Steps[0];
        Assert.Equal((StepStatus.Finished, 0, "copied\n"), (copy.Status, copy.ExitCode, copy.LogTail));
        Assert.Equal(TimeSpan.FromSeconds(2), copy.EndedAt - copy.StartedAt);
        Assert.Equal(StepStatus.Skipped, details.Steps[1].Status);
        Assert.All(details.Destinations, d => Assert.Equal((DestinationStatus.Sent, 1), (d.Status, d.Attempts)));
        Assert.Equal(
            ["job:pending", "job:running", "step:copy:running", "step:copy:finished", "step:report:skipped", "job:finished",
             "job:sending", "destination:pacs:sending", "destination:pacs:sent", "destination:folder:sending",
             "destination:folder:sent", "job:sent"],
            details.Events.Select(e => e.Name is null ? $"{e.Entity}:{e.ToStatus}" : $"{e.Entity}:{e.Name}:{e.ToStatus}"));
    }

    [Theory, BothProviders]
    public async Task A_transition_the_state_machine_forbids_is_refused_and_changes_nothing(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var job = await jobs.CreateAsync(Job(), None);

        await Assert.ThrowsAsync<JobStateException>(() => jobs.TransitionAsync(job.Id, JobStatus.Sent, null, None));
        await Assert.ThrowsAsync<JobStateException>(() => jobs.TransitionAsync("nope", JobStatus.Running, null, None));
        await Assert.ThrowsAsync<JobStateException>(() => jobs.StartStepAsync(job.Id, "nope", None));

        var details = (await jobs.GetDetailsAsync(job.Id, None))!;
        Assert.Equal(JobStatus.Pending, details.Job.Status);
        Assert.Single(details.Events);
    }

    [Theory, BothProviders]
    public async Task A_failed_job_keeps_its_error_and_a_retry_clears_it_and_counts_a_new_attempt(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var job = await jobs.CreateAsync(Job(), None);
        await jobs.TransitionAsync(job.Id, JobStatus.Running, null, None);

        var failed = await jobs.TransitionAsync(job.Id, JobStatus.Failed, "step copy exited with 3", None);
        Assert.Equal(("step copy exited with 3", true), (failed.Error, failed.EndedAt is not null));

        await jobs.TransitionAsync(job.Id, JobStatus.Pending, "retry requested", None);
        var again = await jobs.TransitionAsync(job.Id, JobStatus.Running, null, None);
        Assert.Equal((null, null, 2), (again.Error, again.EndedAt, again.Attempts));
    }

    [Theory, BothProviders]
    public async Task Acknowledged_instances_are_remembered_per_job_and_destination_across_a_restart(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var job = await new SqlJobRepository(store.Database).CreateAsync(Job(), None);
        var ledger = new SqlDeliveryLedger(store.Database);

        await ledger.RecordAcknowledgedAsync(job.Id, "pacs", ["1.2.3.1.1"], None);
        await ledger.RecordAcknowledgedAsync(job.Id, "pacs", ["1.2.3.1.1", "1.2.3.1.2"], None);
        await store.ReopenAsync();
        ledger = new SqlDeliveryLedger(store.Database);

        Assert.Equal(["1.2.3.1.1", "1.2.3.1.2"], (await ledger.AcknowledgedAsync(job.Id, "pacs", None)).Order());
        Assert.Empty(await ledger.AcknowledgedAsync(job.Id, "folder", None));
    }

    [Theory, BothProviders]
    public async Task A_failing_destination_keeps_its_error_and_next_attempt_time(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var job = await jobs.CreateAsync(Job(), None);
        var next = store.Time.GetUtcNow().AddSeconds(30);

        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Sending, null, null, None);
        await jobs.UpdateDestinationAsync(job.Id, "pacs", DestinationStatus.Pending, "connection refused", next, None);

        var pacs = (await jobs.GetDetailsAsync(job.Id, None))!.Destinations.Single(d => d.Name == "pacs");
        Assert.Equal((DestinationStatus.Pending, 1, "connection refused", next), (pacs.Status, pacs.Attempts, pacs.LastError, pacs.NextAttemptAt));
    }

    [Theory, BothProviders]
    public async Task A_step_log_is_kept_to_its_last_64_KiB(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var job = await jobs.CreateAsync(Job(), None);
        var log = new string('a', 100_000) + "THE END";

        await jobs.CompleteStepAsync(job.Id, "copy", new StepCompletion(StepStatus.Failed, null, store.Time.GetUtcNow(), 1, false, log, "exit 1"), None);

        var step = (await jobs.GetDetailsAsync(job.Id, None))!.Steps[0];
        Assert.Equal(SqlJobRepository.MaxLogChars, step.LogTail!.Length);
        Assert.EndsWith("THE END", step.LogTail);
    }

    [Theory, BothProviders]
    public async Task Pages_cut_at_a_job_walk_the_filtered_list_older_with_before_and_newer_with_after_without_gaps_or_repeats(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        // Seven ct-seg jobs among others, some created in the same instant (the id then decides the order).
        for (var i = 0; i < 7; i++)
        {
            await jobs.CreateAsync(Job("ct-seg", study: $"1.{i}"), None);
            await jobs.CreateAsync(Job("mr-qa", study: $"2.{i}"), None);
            if (i % 2 == 0) store.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var all = (await jobs.ListAsync(new JobQuery(FlowName: "ct-seg"), None)).Select(j => j.Id).ToList();
        Assert.Equal(7, all.Count);

        var ids = async (JobQuery q) => (await jobs.ListAsync(q, None)).Select(j => j.Id).ToList();
        var page = new JobQuery(FlowName: "ct-seg", Limit: 3);
        Assert.Equal(all[..3], await ids(page));
        Assert.Equal(all[3..6], await ids(page with { Before = all[2] }));
        Assert.Equal(all[6..], await ids(page with { Before = all[5] }));
        Assert.Empty(await ids(page with { Before = all[6] }));
        // Newer: the three just above the cursor, still newest first; fewer near the top.
        Assert.Equal(all[3..6], await ids(page with { After = all[6] }));
        Assert.Equal(all[..2], await ids(page with { After = all[2] }));
        Assert.Empty(await ids(page with { After = all[0] }));
        // The filters still apply, and a cursor that is no job selects nothing.
        Assert.Empty(await ids(page with { Before = all[3], Status = JobStatus.Running }));
        Assert.Empty(await ids(page with { Before = "no-such-job" }));
    }

    [Theory, BothProviders]
    public async Task Listing_filters_by_status_flow_and_study_and_unfinished_jobs_survive_a_restart(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var jobs = new SqlJobRepository(store.Database);
        var a = await jobs.CreateAsync(Job("ct-seg", study: "1.1"), None);
        var b = await jobs.CreateAsync(Job("mr-qa", study: "2.2"), None);
        var c = await jobs.CreateAsync(Job("ct-seg", study: "3.3"), None);
        await jobs.TransitionAsync(c.Id, JobStatus.Running, null, None);
        await jobs.TransitionAsync(c.Id, JobStatus.Failed, "boom", None);
        await jobs.TransitionAsync(b.Id, JobStatus.Running, null, None);

        Assert.Equal([c.Id, a.Id], (await jobs.ListAsync(new JobQuery(FlowName: "ct-seg"), None)).Select(j => j.Id));
        Assert.Equal([c.Id], (await jobs.ListAsync(new JobQuery(Status: JobStatus.Failed), None)).Select(j => j.Id));
        Assert.Equal([b.Id], (await jobs.ListAsync(new JobQuery(StudyInstanceUid: "2.2"), None)).Select(j => j.Id));
        await store.ReopenAsync();
        jobs = new SqlJobRepository(store.Database);
        Assert.Equal([a.Id, b.Id], (await jobs.ListUnfinishedAsync(None)).Select(j => j.Id));
    }

    [Theory, BothProviders]
    public async Task Webhook_deliveries_are_due_until_delivered_or_given_up(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var job = await new SqlJobRepository(store.Database).CreateAsync(Job(), None);
        var hooks = new SqlWebhookDeliveryStore(store.Database);
        var hook = await hooks.CreateAsync(job.Id, "http://127.0.0.1:9/hook", None);

        Assert.Equal([hook.Id], (await hooks.ListDueAsync(None)).Select(h => h.Id));
        await hooks.RecordAttemptAsync(hook.Id, false, 503, "service unavailable", store.Time.GetUtcNow().AddSeconds(10), None);
        Assert.Empty(await hooks.ListDueAsync(None));
        store.Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(await hooks.ListDueAsync(None));
        await hooks.RecordAttemptAsync(hook.Id, true, 200, null, null, None);

        var done = Assert.Single(await hooks.ListForJobAsync(job.Id, None));
        Assert.Equal(("delivered", 2, 200), (done.Status, done.Attempts, done.ResponseStatus));
        Assert.Empty(await hooks.ListDueAsync(None));
    }
}
