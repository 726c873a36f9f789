// Instance-record throughput of the SQLite store (issue 4): how many received instances per second the store can
// make durable (synchronous=FULL, one transaction per instance, as the SCP needs before it acknowledges), beside the
// floor set by the disk: the same number of one-row INSERT transactions with the same pragmas on a bare table.
//
// Usage: Conduit.Bench.StoreInsert [INSTANCES] [WRITERS]   (defaults 2000, 16; also measured with 1 and 4)
// With CONDUIT_BENCH_POSTGRES set to an Npgsql connection string (an empty database, or a schema on its Search Path),
// the same is measured on PostgreSQL: the bare one-row INSERT floor, then Conduit with 1, 4 and WRITERS writers.
// Prints one line per measurement: "<what> instances=N seconds=S per_second=R".
using System.Diagnostics;
using System.Globalization;
using Conduit.Pipeline.Grouping;
using Conduit.Pipeline.Store;
using Microsoft.Data.Sqlite;
using Npgsql;

var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var writers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var root = Directory.CreateTempSubdirectory("conduit-bench-store-").FullName;
try
{
    Print("bare-insert-fsync-floor", count, await BareInsertsAsync(Path.Combine(root, "bare.db"), count));
    Print("conduit-record-1-writer", count, await RecordAsync(Path.Combine(root, "one.db"), count, 1));
    Print("conduit-record-4-writers", count, await RecordAsync(Path.Combine(root, "four.db"), count, 4));
    Print($"conduit-record-{writers}-writers", count, await RecordAsync(Path.Combine(root, "many.db"), count, writers));
    if (Environment.GetEnvironmentVariable("CONDUIT_BENCH_POSTGRES") is { Length: > 0 } postgres)
    {
        Print("postgres-bare-insert-floor", count, await BarePostgresInsertsAsync(postgres, count));
        foreach (var n in new[] { 1, 4, writers })
        {
            await using var database = await PostgresDatabase.OpenAsync(postgres);
            await database.WriteAsync((c, t) => { using var clear = c.CreateCommand(); clear.Transaction = t;
                clear.CommandText = "TRUNCATE batch_instances, batches, instances, series, studies, patients CASCADE;"; return clear.ExecuteNonQuery(); },
                CancellationToken.None);
            Print($"postgres-conduit-record-{n}-writers", count, await RecordOnAsync(database, count, n));
        }
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

static void Print(string what, int count, TimeSpan elapsed) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what} instances={count} seconds={elapsed.TotalSeconds:F2} per_second={count / elapsed.TotalSeconds:F0}"));

static async Task<TimeSpan> RecordAsync(string path, int count, int writers)
{
    await using var database = await SqliteDatabase.OpenAsync(new SqliteDatabaseOptions { Path = path });
    return await RecordOnAsync(database, count, writers);
}

static async Task<TimeSpan> RecordOnAsync(StoreDatabase database, int count, int writers)
{
    var store = new SqlInstanceStore(database);
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
    {
        int n;
        while ((n = Interlocked.Increment(ref next)) < count)
        {
            // 20 series of a few studies, the shape of a busy CT day: most inserts hit an existing series.
            var study = $"1.2.826.0.1.3680043.2.1125.{n % 7}";
            var series = $"{study}.{n % 20}";
            var sop = $"{series}.{n}";
            await store.RecordAsync(new InstanceRecord
            {
                PatientId = $"P{n % 7}", PatientName = "Bench^Patient", StudyInstanceUid = study, SeriesInstanceUid = series,
                SopInstanceUid = sop, SopClassUid = "1.2.840.10008.5.1.4.1.1.2", TransferSyntaxUid = "1.2.840.10008.1.2.1",
                Modality = "CT", Source = InstanceSource.Scp, CallingAeTitle = "BENCH", AssociationId = "a",
                ReceivedAt = DateTimeOffset.UtcNow, SizeBytes = 526_000, Path = $"instances/{study}/{series}/{sop}.dcm",
            }, [new BatchMembership(BatchScope.Series, series, "bench"), new BatchMembership(BatchScope.Study, study, "bench")], CancellationToken.None);
        }
    }))).ConfigureAwait(false);
    return clock.Elapsed;
}

static Task<TimeSpan> BareInsertsAsync(string path, int count)
{
    using var connection = new SqliteConnection($"Data Source={path}");
    connection.Open();
    foreach (var pragma in new[] { "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "CREATE TABLE t (uid TEXT PRIMARY KEY, v TEXT);" })
    {
        using var setup = connection.CreateCommand();
        setup.CommandText = pragma;
        setup.ExecuteNonQuery();
    }
    var clock = Stopwatch.StartNew();
    for (var n = 0; n < count; n++)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO t (uid, v) VALUES (@u, 'x');";
        insert.Parameters.AddWithValue("@u", $"1.2.3.{n}");
        insert.ExecuteNonQuery();
        transaction.Commit();
    }
    return Task.FromResult(clock.Elapsed);
}

static async Task<TimeSpan> BarePostgresInsertsAsync(string connectionString, int count)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using (var setup = new NpgsqlCommand("DROP TABLE IF EXISTS bench_bare; CREATE TABLE bench_bare (uid TEXT PRIMARY KEY, v TEXT);", connection))
    {
        await setup.ExecuteNonQueryAsync();
    }
    var clock = Stopwatch.StartNew();
    for (var n = 0; n < count; n++)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand("INSERT INTO bench_bare (uid, v) VALUES (@u, 'x');", connection, transaction);
        insert.Parameters.AddWithValue("u", $"1.2.3.{n}");
        await insert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }
    var elapsed = clock.Elapsed;
    await using (var drop = new NpgsqlCommand("DROP TABLE bench_bare;", connection))
    {
        await drop.ExecuteNonQueryAsync();
    }
    return elapsed;
}
