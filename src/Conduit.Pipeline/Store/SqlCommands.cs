using System.Data.Common;
using System.Globalization;

namespace Conduit.Pipeline.Store;

/// <summary>
/// The few ADO.NET helpers the stores need (no ORM: the SQL is short and worth reading as SQL). They take the
/// provider-neutral <see cref="DbConnection"/>, so one store class runs on SQLite and on PostgreSQL.
/// </summary>
internal static class SqlCommands
{
    public static int Execute(this DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(this DbConnection connection, string sql) =>
        connection.Scalar(null, sql);

    public static object? Scalar(this DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        using var command = Create(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static List<T> Query<T>(this DbConnection connection, DbTransaction? transaction, string sql,
        Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
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

    public static string? NullableString(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static string String(this DbDataReader reader, string column) =>
        reader.GetString(reader.GetOrdinal(column));

    // Counts are 64-bit on PostgreSQL (COUNT, SUM) and whatever fits on SQLite: read any integer width.
    public static int Int(this DbDataReader reader, string column) =>
        Convert.ToInt32(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture);

    public static int? NullableInt(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
    }

    public static long Long(this DbDataReader reader, string column) =>
        Convert.ToInt64(reader.GetValue(reader.GetOrdinal(column)), CultureInfo.InvariantCulture);

    public static DateTimeOffset Time(this DbDataReader reader, string column) =>
        UtcTime.Parse(reader.String(column));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column) =>
        reader.NullableString(column) is { } text ? UtcTime.Parse(text) : null;

    private static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
