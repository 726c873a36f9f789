using Microsoft.Data.Sqlite;

namespace Conduit.Pipeline.Store;

/// <summary>The few ADO.NET helpers the SQLite store needs (no ORM: the SQL is short and worth reading as SQL).</summary>
internal static class SqlCommands
{
    public static int Execute(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(this SqliteConnection connection, string sql) =>
        connection.Scalar(null, sql);

    public static object? Scalar(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static List<T> Query<T>(this SqliteConnection connection, SqliteTransaction? transaction, string sql,
        Func<SqliteDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }
        return rows;
    }

    public static string? NullableString(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static string String(this SqliteDataReader reader, string column) =>
        reader.GetString(reader.GetOrdinal(column));

    public static int Int(this SqliteDataReader reader, string column) =>
        reader.GetInt32(reader.GetOrdinal(column));

    public static int? NullableInt(this SqliteDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
    }

    public static long Long(this SqliteDataReader reader, string column) =>
        reader.GetInt64(reader.GetOrdinal(column));

    public static DateTimeOffset Time(this SqliteDataReader reader, string column) =>
        UtcTime.Parse(reader.String(column));

    public static DateTimeOffset? NullableTime(this SqliteDataReader reader, string column) =>
        reader.NullableString(column) is { } text ? UtcTime.Parse(text) : null;

    private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
