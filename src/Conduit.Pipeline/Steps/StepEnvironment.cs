namespace Conduit.Pipeline.Steps;

/// <summary>The environment variables through which every step (process or container) finds its folders.</summary>
public static class StepEnvironment
{
    /// <summary>The folder holding the step's input (read-only for containers).</summary>
    public const string InputDirectory = "CONDUIT_INPUT_DIR";

    /// <summary>The folder the step writes its results to.</summary>
    public const string OutputDirectory = "CONDUIT_OUTPUT_DIR";

    /// <summary>The parameters file in the input folder (<see cref="StepParamsFile.FileName"/>).</summary>
    public const string ParamsFile = "CONDUIT_PARAMS_FILE";

    /// <summary>The job's id, for steps that label what they produce.</summary>
    public const string JobId = "CONDUIT_JOB_ID";

    /// <summary>The step's name.</summary>
    public const string StepName = "CONDUIT_STEP";

    /// <summary>
    /// Process steps only: this run's id, by which a restarted Conduit finds the program (and its descendants) that a
    /// Conduit killed just after starting it left running (<see cref="ProcessMarker"/>).
    /// </summary>
    public const string RunId = "CONDUIT_STEP_RUN_ID";
}
