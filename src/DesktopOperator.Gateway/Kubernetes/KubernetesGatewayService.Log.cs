using Microsoft.Extensions.Logging;

namespace DesktopOperator.Gateway.Kubernetes;

internal sealed partial class KubernetesGatewayService
{
    [LoggerMessage(EventId = 3871, Level = LogLevel.Information, Message = "Caches of DesktopPools and host pods synced ({Scope})")]
    private static partial void LogSynced(ILogger logger, string scope);

    [LoggerMessage(EventId = 3872, Level = LogLevel.Information, Message = "Gateway ready: {Pools} pools in force, {Problems} problems")]
    private static partial void LogFirstPlanApplied(ILogger logger, int pools, int problems);

    [LoggerMessage(EventId = 3873, Level = LogLevel.Error, Message = "Applying the pools failed; the previous configuration stays in force and the plan is tried again")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3874, Level = LogLevel.Information, Message = "Stopping: live connections may run for {DrainTime} more")]
    private static partial void LogDraining(ILogger logger, string drainTime);
}
