using Conduit.Dicom;
using Conduit.Pipeline.Tests.Support;
using Conduit.Tests.Serve.Support;
using Conduit.Tests.Support;
using Npgsql;
using static Conduit.Tests.Serve.Support.ServeApi;

namespace Conduit.Tests.Serve;

/// <summary>
/// Two <c>conduit serve</c> processes as two nodes: one PostgreSQL schema, one data directory (the shared storage a
/// deployment mounts on every node), their own ports and <c>node.id</c>. A series arrives half on each node; the node
/// that opened it dies before it is complete, and the other finishes it: one job, every instance delivered.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeTwoNodesTests(ServePeers peers) : IAsyncLifetime
{
    private readonly Conduit.Tests.Support.TempDirectory _shared = new("conduit-two-nodes");
    private ServeSite _a = null!;
    private ServeSite _b = null!;
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await (await PostgresServer.Shared).CreateSchemaAsync();
        // Node a waits a minute of quiet before it closes a series itself, node b two seconds: so only b's adoption
        // of a's series can close it in this test. A heartbeat every second and a lapse of five make a dead node
        // count as gone within seconds instead of minutes.
        _a = new ServeSite(peers.Podman.SocketPath, Configuration("node-a"), quietTime: "1m");
        _b = new ServeSite(peers.Podman.SocketPath, Configuration("node-b"), quietTime: "2s");
    }

    private string Configuration(string nodeId) => $"""
        storage:
          data_directory: {_shared.Sub("data")}
        database:
          provider: postgres
          connection_string: "{_connectionString}"
        node:
          id: {nodeId}
          heartbeat_interval: 1s
          lapse: 5s
        """;

    [Fact]
    public async Task A_series_received_half_on_each_node_is_finished_by_the_survivor_when_its_owner_dies()
    {
        var delivered = _shared.Sub("delivered");
        var flow = ServeSite.CopyFlow(delivered);
        _a.WriteFlow("copy.yaml", flow);
        _b.WriteFlow("copy.yaml", flow);
        var nodeA = await _a.StartAsync();
        await _b.StartAsync();

        var series = SyntheticSeries.Write(_shared.Sub("series"), new SeriesSpec("CT", "Chest") { Count = 6 });
        // The first half reaches node a over an association that stays open, like a scanner still sending: node a
        // keeps the series open (it closes a series once its delivering associations have ended, or by quiet time).
        using var scanner = await RawDicomPeer.ConnectAsync(_a.ReceiverPort);
        var answer = await scanner.AssociateAsync("CONDUIT");
        Assert.True(answer?.Type == RawPduType.AssociateAc, $"node a answered {answer}\n{_a.Output}");
        ushort messageId = 1;
        foreach (var file in series.Files.Take(3))
        {
            var part10 = DicomFile.Open(file);
            using var dataset = new MemoryStream();
            DicomWriter.WriteDataset(dataset, part10.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
            var status = await scanner.StoreAsync(RawDicomPeer.CtStorage.Id, RawPdu.CtImageStorage,
                part10.Dataset.GetString(DicomTags.SOPInstanceUID)!, dataset.ToArray(), messageId++);
            Assert.True(status == 0, $"node a answered C-STORE with status {status:X4}\n{_a.Output}");
        }
        // The second half reaches node b, which adds it to the series node a has open.
        var secondHalf = _shared.Sub("series-b");
        foreach (var file in series.Files.Skip(3)) File.Copy(file, Path.Combine(secondHalf, Path.GetFileName(file)));
        var toB = await _b.StoreScuAsync(secondHalf);
        Assert.True(toB.ExitCode == 0, $"storescu to node b:\n{toB.Output}\n{_b.Output}");

        // One batch, opened and owned by node a: node b's instances joined it.
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM batches WHERE key_uid = @p;", series.SeriesInstanceUid));
        Assert.Equal("node-a", await ScalarAsync("SELECT node_id FROM batches WHERE key_uid = @p;", series.SeriesInstanceUid));
        Assert.Equal(6L, Convert.ToInt64(await ScalarAsync("SELECT instance_count FROM batches WHERE key_uid = @p;", series.SeriesInstanceUid), System.Globalization.CultureInfo.InvariantCulture));

        // While node a beats, node b leaves its batch alone, though b's association ended and b's quiet time (2 s)
        // passed long ago.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var early = await _b.Api.JobsAsync(series.StudyInstanceUid);
        Assert.True(early.Count == 0, $"a job before node a died: {string.Join(", ", early)}; batches: {await BatchesAsync(series.SeriesInstanceUid)}\n=== a ===\n{_a.Output}\n=== b ===\n{_b.Output}");

        await nodeA.KillHardAsync();
        var details = await _b.Api.WaitForEndedJobAsync(series.StudyInstanceUid, TimeSpan.FromSeconds(60));

        Assert.True(Status(Job(details)) == "sent", $"job: {details}\n{_b.Output}");
        Assert.Single(await _b.Api.JobsAsync(series.StudyInstanceUid));
        Assert.Equal(series.SopInstanceUids.Order(StringComparer.Ordinal), ServeSite.DeliveredSopInstanceUids(delivered));
        Assert.Equal("node-b", await ScalarAsync("SELECT node_id FROM batches WHERE key_uid = @p;", series.SeriesInstanceUid));
    }

    private async Task<string> BatchesAsync(string seriesUid)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, node_id, state, instance_count, close_reason, close_detail FROM batches WHERE key_uid = @p ORDER BY opened_at;", connection);
        command.Parameters.AddWithValue("p", seriesUid);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return string.Join("; ", rows);
    }

    private async Task<object?> ScalarAsync(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        return await command.ExecuteScalarAsync();
    }

    public Task DisposeAsync()
    {
        _a?.Dispose();
        _b?.Dispose();
        _shared.Dispose();
        return Task.CompletedTask;
    }
}
