namespace DesktopOperator.Commands;

/// <summary>The program's exit codes, as shell tools use them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Something failed while running (a port taken, a folder that cannot be written).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: an unknown or missing option, a value that does not parse or is out of range.</summary>
    public const int Usage = 2;
}
