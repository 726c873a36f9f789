namespace Conduit.Pipeline.Store;

/// <summary>One numbered schema change. Versions are the same on SQLite and PostgreSQL; the SQL is each one's dialect.</summary>
public sealed record Migration(int Version, string Description, string Sql);
