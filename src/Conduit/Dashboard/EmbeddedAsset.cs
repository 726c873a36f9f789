namespace Conduit.Dashboard;

/// <summary>A file of the dashboard held in memory, with its media type and a strong validator (a hash of its bytes).</summary>
internal sealed record EmbeddedAsset(string Path, string ContentType, byte[] Content, string ETag);
