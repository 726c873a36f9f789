namespace Conduit.Pipeline.Store;

/// <summary>
/// The few expressions SQLite and PostgreSQL spell differently. Everything else the stores write is common SQL: text
/// ids and UTC times, <c>ON CONFLICT</c>, partial unique indexes, <c>RETURNING</c>.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new()
    {
        Name = "sqlite",
        // SQLite's CAST reads the leading number of the text and gives 0 when there is none.
        IntegerOrZero = column => $"CAST({column} AS INTEGER)",
        CommaList = column => $"group_concat(DISTINCT {column})",
        WholeSlices = (from, to, width) => $"CAST((julianday({to}) - julianday({from})) * 86400.0 / {width} AS INTEGER)",
        LockSkipLocked = "",
        MaxPicksRow = true,
    };

    public static readonly SqlDialect Postgres = new()
    {
        Name = "postgres",
        // PostgreSQL's CAST fails on text that is not a number; an IS value (PS3.5 §6.2) may be blank or malformed.
        // A missing value orders first, as SQLite's NULL does (PostgreSQL would put it last).
        IntegerOrZero = column =>
            $"(CASE WHEN {column} IS NULL THEN -2147483648 WHEN btrim({column}) ~ '^[+-]?[0-9]{{1,9}}$' THEN CAST(btrim({column}) AS INTEGER) ELSE 0 END)",
        CommaList = column => $"string_agg(DISTINCT {column}, ',')",
        // The stored text has 100 ns digits and PostgreSQL's timestamp microseconds: cutting the seventh digit (rather
        // than letting the cast round it) keeps 07:58:59.9999999 in the 07:58 slice. Both times are UTC, so the
        // difference needs no time zone.
        WholeSlices = (from, to, width) =>
            $"CAST(floor(EXTRACT(EPOCH FROM (CAST(substr({to}, 1, 26) AS timestamp) - CAST(substr({from}, 1, 26) AS timestamp))) / {width}) AS INTEGER)",
        // A dequeuer skips the rows another one is taking instead of waiting for it (Hangfire.PostgreSql's pattern).
        LockSkipLocked = "FOR UPDATE SKIP LOCKED",
        MaxPicksRow = false,
    };

    private SqlDialect()
    {
    }

    public required string Name { get; init; }

    /// <summary>A text column read as an integer for ordering (Series Number, Instance Number).</summary>
    public required Func<string, string> IntegerOrZero { get; init; }

    /// <summary>The distinct values of a column joined with commas (an aggregate).</summary>
    public required Func<string, string> CommaList { get; init; }

    /// <summary>How many whole slices of <c>width</c> seconds lie from one stored UTC text time to a later one.</summary>
    public required Func<string, string, string, string> WholeSlices { get; init; }

    /// <summary>The locking clause of the queue's dequeue sub-select (none on SQLite: its single writer already serialises).</summary>
    public required string LockSkipLocked { get; init; }

    /// <summary>
    /// Whether <c>SELECT MAX(x), y … GROUP BY</c> takes the bare column <c>y</c> from the row holding the maximum
    /// (SQLite does; PostgreSQL refuses bare columns and needs <c>DISTINCT ON</c>).
    /// </summary>
    public required bool MaxPicksRow { get; init; }
}
