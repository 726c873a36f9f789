using Conduit.Dicom;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Cli;
using Conduit.Tests.Serve.Support;
using Npgsql;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// <c>conduit serve</c> with <c>database.provider: postgres</c> (a throw-away cluster, <see cref="PostgresServer"/>):
/// storescu sends a series, the flow's job runs and delivers to a folder, the rows are in PostgreSQL and nothing in
/// SQLite; after a restart the state is still there and new work runs through the same queue.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServePostgresTests(ServePeers peers) : IAsyncLifetime
{
    private ServeSite _site = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.Shared).CreateSchemaAsync();
        _site = new ServeSite(peers.Podman.SocketPath, $"""
            database:
              provider: postgres
              connection_string: "{_connectionString}"
            """);
    }

    [Fact]
    public async Task A_series_sent_to_serve_on_postgres_is_recorded_there_runs_its_job_and_survives_a_restart()
    {
        var delivered = _site.Sub("delivered");
        _site.WriteFlow("copy.yaml", ServeSite.CopyFlow(delivered));
        var first = await _site.StartAsync();
        var series = SyntheticSeries.Write(_site.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 5 });

        await _site.SendAsync(series);
        var details = await _site.Api.WaitForEndedJobAsync(series.StudyInstanceUid);

        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_site.Output}");
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), DeliveredUids(delivered));
        var jobId = Id(Job(details));
        Assert.Equal(5L, await ScalarAsync("SELECT COUNT(*) FROM instances WHERE study_uid = @p;", series.StudyInstanceUid));
        Assert.Equal("sent", await ScalarAsync("SELECT status FROM jobs WHERE id = @p;", jobId));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM job_queue WHERE job_id = @p;", jobId));
        Assert.False(File.Exists(Path.Combine(_site.DataDirectory, "conduit.db")), "serve on PostgreSQL wrote a SQLite database");

        Assert.Equal(0, await first.StopAsync());
        // The CLI's token verb finds the same PostgreSQL database as serve.
        var token = await ConduitProcess.RunInAsync(_site.Directory, null, "token", "create", "--name", "ci", "--role", "viewer");
        Assert.True(token.ExitCode == 0, token.Output);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM api_tokens WHERE name = @p;", "ci"));
        await _site.StartAsync();

        var again = await _site.Api.JobAsync(jobId);
        Assert.Equal("sent", Status(Job(again)));
        Assert.Equal(5, (int)(await _site.Api.SeriesAsync(series.SeriesInstanceUid))!["instanceCount"]!);
        var next = SyntheticSeries.Write(_site.Sub("next"), new SeriesSpec("CT", "Abdomen") { Count = 2 });
        await _site.SendAsync(next);
        var nextDetails = await _site.Api.WaitForEndedJobAsync(next.StudyInstanceUid);
        Assert.True(Status(Job(nextDetails)) == "sent", $"job: {nextDetails}\n{_site.Output}");
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM jobs WHERE status = 'sent';", null));
    }

    private static List<string> DeliveredUids(string folder) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => DicomFile.Open(f, DicomReadOptions.HeaderOnly).Dataset.GetString(DicomTags.SOPInstanceUID)!)
            .Order(StringComparer.Ordinal)];

    private async Task<object?> ScalarAsync(string sql, string? parameter)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null) command.Parameters.AddWithValue("p", parameter);
        return await command.ExecuteScalarAsync();
    }

    public Task DisposeAsync()
    {
        _site?.Dispose();
        return Task.CompletedTask;
    }
}
