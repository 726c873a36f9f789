namespace Conduit;

/// <summary>Process exit codes of the CLI, one table for every verb.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>A command-line usage error (System.CommandLine's own parse errors also exit with 1).</summary>
    public const int Usage = 1;
    /// <summary>An input file could not be read as DICOM.</summary>
    public const int BadInput = 2;
    /// <summary>Some instances failed to send or store.</summary>
    public const int PartialFailure = 3;
    /// <summary>A network peer refused or could not be reached.</summary>
    public const int NetworkFailure = 4;
    /// <summary>The configuration or a flow file is invalid: each problem was printed as file:line:col: message.</summary>
    public const int InvalidConfiguration = 5;
    /// <summary>A user or token named on the command line does not exist (remove, passwd, revoke) or exists already (add, create).</summary>
    public const int NameConflict = 6;
}
