using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

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

    /// <summary>
    /// <see cref="Execute"/> for a constant statement run once per instance received: the command, with the statement
    /// the database prepared for it, is kept for this connection and run again with the new values. Preparing the
    /// instance-record statements anew every time was most of SQLite's CPU per instance (profiled on serve).
    /// </summary>
    public static int ExecuteReused(this DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters) =>
        Reuse(connection, transaction, sql, parameters).ExecuteNonQuery();

    /// <summary><see cref="Scalar(DbConnection, DbTransaction?, string, ValueTuple{string, object?}[])"/> with the command kept, as <see cref="ExecuteReused"/>.</summary>
    public static object? ScalarReused(this DbConnection connection, DbTransaction? transaction, string sql,
        params (string Name, object? Value)[] parameters)
    {
        var value = Reuse(connection, transaction, sql, parameters).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary><see cref="Query{T}"/> with the command kept, as <see cref="ExecuteReused"/>.</summary>
    public static List<T> QueryReused<T>(this DbConnection connection, DbTransaction? transaction, string sql,
        Func<DbDataReader, T> map, params (string Name, object? Value)[] parameters)
    {
        using var reader = Reuse(connection, transaction, sql, parameters).ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(map(reader));
        }
        return rows;
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

    // Per connection (a connection serves one caller at a time), keyed by the statement's text; only constant
    // statements come here, so the set stays as small as the code that uses it.
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Kept = new();

    private static DbCommand Reuse(DbConnection connection, DbTransaction? transaction, string sql,
        (string Name, object? Value)[] parameters)
    {
        var kept = Kept.GetValue(connection, static _ => new Dictionary<string, DbCommand>(StringComparer.Ordinal));
        if (!kept.TryGetValue(sql, out var command))
        {
            command = Create(connection, transaction, sql, parameters);
            command.Prepare();
            kept.Add(sql, command);
            return command;
        }
        command.Transaction = transaction;
        var bound = command.Parameters;
        if (bound.Count != parameters.Length)
            throw new InvalidOperationException($"statement run with {parameters.Length} parameters, prepared with {bound.Count}: {sql}");
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
                throw new InvalidOperationException($"parameter {parameters[i].Name} where {bound[i].ParameterName} was prepared: {sql}");
            bound[i].Value = parameters[i].Value ?? DBNull.Value;
        }
        return command;
    }

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
