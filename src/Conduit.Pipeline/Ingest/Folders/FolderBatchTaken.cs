namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>A folder batch once its folder was handled: its id, when it finished and what became of the folder.</summary>
public sealed record FolderBatchTaken(string Id, DateTimeOffset FinishedAt, string FolderFate)
{
    /// <summary>The folder is still where it was taken (it could not be deleted, renamed or moved).</summary>
    public bool LeftInPlace => FolderFate.StartsWith(FolderBatchImporter.LeftInPlace, StringComparison.Ordinal);
}
