namespace DesktopOperator.Gateway.Health;

/// <summary>How a check ended; only <see cref="Success"/> passes.</summary>
internal enum ProbeOutcome
{
    Success,

    /// <summary>The TCP connect was refused or failed.</summary>
    ConnectFailed,

    /// <summary>No complete answer within the check's timeout.</summary>
    Timeout,

    /// <summary>The peer closed or reset the connection before a complete answer.</summary>
    Closed,

    /// <summary>The peer answered something other than the protocol expects.</summary>
    Invalid,

    /// <summary>The probe itself failed unexpectedly (a bug or an environment fault, logged as such).</summary>
    Error,

    /// <summary>
    /// The gateway could not open a socket for the check (it is out of file descriptors: EMFILE/ENFILE). Nothing reached
    /// the host, so this is no verdict on it: the host's state stays as it was.
    /// </summary>
    NotRun,
}
