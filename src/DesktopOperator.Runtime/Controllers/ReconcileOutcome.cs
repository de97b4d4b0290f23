namespace DesktopOperator.Runtime.Controllers;

/// <summary>The <c>result</c> label values of <c>controller_runtime_reconcile_total</c>.</summary>
public static class ReconcileOutcome
{
    public const string Success = "success";
    public const string Error = "error";
    public const string RequeueAfter = "requeue_after";
    public const string Terminal = "terminal";

    public static IReadOnlyList<string> All { get; } = [Success, Error, RequeueAfter, Terminal];
}
