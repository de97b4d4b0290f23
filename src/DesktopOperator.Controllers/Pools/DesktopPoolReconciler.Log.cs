using DesktopOperator.Runtime;
using Microsoft.Extensions.Logging;

namespace DesktopOperator.Controllers.Pools;

internal sealed partial class DesktopPoolReconciler
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "Pool {Pool}: {Sessions} session(s), {Desired} host(s) desired, {Serving} serving; create {Create}, drain {Drain}, delete {Delete}")]
    private static partial void LogPlan(ILogger logger, ObjectKey pool, int sessions, int desired, int serving, int create, int drain, int delete);
}
