using System.Text.Json.Nodes;
using Conduit.Pipeline.Steps;

namespace Conduit.Pipeline.Tests.Support;

/// <summary>Input and output folders for one step run, with a context carrying params and tags.</summary>
internal sealed class StepFolders : IDisposable
{
    private readonly TempDirectory _directory = new();

    public StepFolders()
    {
        Input = _directory.Combine("input");
        Output = _directory.Combine("output");
        Directory.CreateDirectory(Input);
        Directory.CreateDirectory(Output);
        JobId = "01TESTJOB" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    }

    public string Input { get; }

    public string Output { get; }

    public string JobId { get; }

    public StepContext Context(JsonObject? parameters = null) => new(
        JobId, Input, Output,
        parameters ?? new JsonObject { ["threshold"] = 0.5, ["model"] = "v1" },
        new Dictionary<string, string> { ["Modality"] = "CT", ["StudyInstanceUID"] = "1.2.3" });

    public void Dispose() => _directory.Dispose();
}
