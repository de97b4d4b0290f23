namespace DesktopOperator.Runtime.Controllers;

/// <summary>
/// A failure that retrying cannot fix (an invalid spec): the controller logs and counts it and does not requeue
/// the key; the next change to the object reconciles it again (controller-runtime's TerminalError).
/// </summary>
public sealed class TerminalReconcileException : Exception
{
    public TerminalReconcileException()
    {
    }

    public TerminalReconcileException(string message)
        : base(message)
    {
    }

    public TerminalReconcileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
